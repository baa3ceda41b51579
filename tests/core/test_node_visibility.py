"""node(id:) and nodes(ids:) show each object exactly to who may see it, for every Node type.

The Node types come from the schema the app serves; tests/visibility.py says, for each, how to
build an object some caller may not see (or why the type is public). A new Node type fails here
until it is registered there.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.authz import BuildWorld
from tests.introspect import NODE_TYPES_QUERY, node_type_names
from tests.utils import GraphQLClient
from tests.visibility import ALSO, REGISTRY, Private, Public

NODE_TYPES = node_type_names()
NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


async def lookups(gql: GraphQLClient, global_id: str, token: str | None) -> tuple[Any, Any]:
    """What node(id:) and nodes(ids:) return for this id to this caller."""
    one = await gql.data(NODE, {"id": global_id}, token=token)
    many = await gql.data(NODES, {"ids": [global_id]}, token=token)
    return one["node"], many["nodes"]


def test_every_node_type_is_registered() -> None:
    unregistered = sorted(set(NODE_TYPES) - set(REGISTRY))
    assert not unregistered, (
        f"{unregistered} implement Node but are not in tests/visibility.py: register each in "
        "REGISTRY as Private(builder of an object some caller may not see) or Public(reason)"
    )
    assert not set(REGISTRY) - set(NODE_TYPES), "tests/visibility.py names types that are gone"


async def test_the_registry_walks_the_running_schemas_node_types(gql: GraphQLClient) -> None:
    served = await gql.data(NODE_TYPES_QUERY)
    assert sorted(t["name"] for t in served["__type"]["possibleTypes"]) == NODE_TYPES


@pytest.mark.parametrize("type_name", NODE_TYPES)
async def test_node_shows_an_object_only_to_who_may_see_it(
    gql: GraphQLClient, build_world: BuildWorld, type_name: str
) -> None:
    entry = REGISTRY.get(type_name)
    if entry is None:
        pytest.fail(
            f"{type_name} implements Node but is not in tests/visibility.py: add "
            f"REGISTRY[{type_name!r}] = Private(builder) or Public(reason, builder)"
        )
    world = await build_world()

    if isinstance(entry, Public):
        global_id = await entry.build(world)
        found = {"__typename": type_name, "id": global_id}
        for caller, token in {"anonymous": None, "other_user": world.other_user.token}.items():
            assert await lookups(gql, global_id, token) == (found, [found]), caller
        return

    assert isinstance(entry, Private)
    hidden = await entry.build(world)
    found = {"__typename": type_name, "id": hidden.id}
    seen = {
        caller: await lookups(gql, hidden.id, token) for caller, token in hidden.strangers.items()
    }

    leaks = {caller: got for caller, got in seen.items() if got != (None, [None])}
    assert not leaks, f"node/nodes show a {type_name} to who may not see it: {leaks}"
    assert await lookups(gql, hidden.id, hidden.seer) == (found, [found]), "the owner must see it"


@pytest.mark.parametrize("case", sorted(ALSO))
async def test_node_hides_the_other_cases_too(
    gql: GraphQLClient, build_world: BuildWorld, case: str
) -> None:
    type_name, entry = ALSO[case]
    hidden = await entry.build(await build_world())
    found = {"__typename": type_name, "id": hidden.id}
    for caller, token in hidden.strangers.items():
        assert await lookups(gql, hidden.id, token) == (None, [None]), caller
    assert await lookups(gql, hidden.id, hidden.seer) == (found, [found]), "the owner must see it"
