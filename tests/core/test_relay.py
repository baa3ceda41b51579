"""Relay: global ids, node/nodes, cursor connections, and SQL counts that ignore page size."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry import relay

from models.accounts import Role
from tests.factories import MakeApp, MakeUser, SignIn
from tests.utils import GraphQLClient

pytestmark = pytest.mark.smoke

USERS_PAGE = """
query($first: Int, $after: String, $last: Int, $before: String) {
  users(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { handle } }
  }
}
"""


async def test_forward_and_backward_pages(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    admin = await sign_in(role=Role.ADMIN, user=await make_user(role=Role.ADMIN, handle="u_00"))
    for n in range(1, 6):
        await make_user(handle=f"u_{n:02}")

    first = (await gql.data(USERS_PAGE, {"first": 2}, token=admin.token))["users"]
    second = (
        await gql.data(
            USERS_PAGE, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=admin.token
        )
    )["users"]
    back = (
        await gql.data(
            USERS_PAGE, {"last": 2, "before": second["pageInfo"]["startCursor"]}, token=admin.token
        )
    )["users"]

    def handles(page: dict[str, Any]) -> list[str]:
        return [edge["node"]["handle"] for edge in page["edges"]]

    assert first["totalCount"] == 6
    assert handles(first) == ["u_05", "u_04"]
    assert handles(second) == ["u_03", "u_02"]
    assert handles(back) == ["u_05", "u_04"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert second["pageInfo"]["hasPreviousPage"] is True


async def test_bad_cursor_and_both_directions_are_rejected(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    admin = await sign_in(role=Role.ADMIN)

    bad_cursor = await gql.post(USERS_PAGE, {"first": 2, "after": "garbage!"}, token=admin.token)
    both = await gql.post(USERS_PAGE, {"first": 2, "last": 2}, token=admin.token)

    assert bad_cursor.codes == ["BAD_USER_INPUT"]
    assert bad_cursor.errors[0]["message"] == "`after` is not a cursor this API issued."
    assert both.codes == ["BAD_USER_INPUT"]


async def test_node_and_nodes(gql: GraphQLClient, make_user: MakeUser) -> None:
    ada = await make_user(handle="ada")
    bob = await make_user(handle="bob")
    ids = [
        str(relay.GlobalID("User", str(ada.id))),
        str(relay.GlobalID("User", "999999")),
        str(relay.GlobalID("User", str(bob.id))),
    ]

    one = await gql.data(
        "query($id: ID!) { node(id: $id) { id ... on User { handle } } }", {"id": ids[0]}
    )
    many = await gql.data(
        "query($ids: [ID!]!) { nodes(ids: $ids) { ... on User { handle } } }", {"ids": ids}
    )

    assert one == {"node": {"id": ids[0], "handle": "ada"}}
    assert many == {"nodes": [{"handle": "ada"}, None, {"handle": "bob"}]}


@pytest.mark.parametrize("bad_id", ["nonsense", "VXNlcjpub3RhbnVtYmVy", "Tm9wZTox"])
async def test_node_rejects_ids_we_did_not_issue(gql: GraphQLClient, bad_id: str) -> None:
    response = await gql.post("query($id: ID!) { node(id: $id) { id } }", {"id": bad_id})

    assert response.codes == ["BAD_USER_INPUT"]
    assert response.sql == 0


async def test_nested_connections_do_not_grow_sql_with_page_size(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser, make_app: MakeApp
) -> None:
    admin = await sign_in(role=Role.ADMIN)
    for n in range(50):
        user = await make_user(handle=f"p_{n:02}")
        await make_app(user, name="a")
        await make_app(user, name="b")
    query = """
    query($n: Int!) { users(first: $n) { edges { node {
      handle apps(first: 5) { totalCount edges { node {
        name owner { handle } tokens(first: 1) { totalCount }
      } } }
    } } } }
    """
    await gql.post("{ viewer { id } }", token=admin.token)  # records last use; not measured

    small = await gql.post(query, {"n": 2}, token=admin.token)
    large = await gql.post(query, {"n": 50}, token=admin.token)

    assert not small.errors
    assert not large.errors
    assert len(large.data["users"]["edges"]) == 50
    assert small.sql == large.sql == 5  # token, users page, apps, app owners, tokens
