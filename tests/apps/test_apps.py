"""Apps, scopes and app tokens, and the authorization matrix of every app/account mutation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from strawberry import relay

from models.accounts import Role
from models.apps import App, AppToken
from resolvers.principal import Scope
from tests.factories import MakeApp, MakeAppToken, MakeUser, SignIn
from tests.utils import GraphQLClient


def gid(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


CREATE_APP = """
mutation($name: String!, $scopes: [Scope!]!) {
  createApp(name: $name, scopes: $scopes) {
    __typename
    ... on CreateAppSuccess { app { id name scopes owner { handle } } }
    ... on ValidationError { field message }
    ... on ConflictError { field message }
  }
}
"""
CREATE_TOKEN = """
mutation($app: ID!, $days: Int) {
  createAppToken(appId: $app, name: "ci", expiresInDays: $days) {
    __typename
    ... on CreateAppTokenSuccess { token appToken { id hint expiresAt revokedAt } }
    ... on ValidationError { field message }
    ... on NotFoundError { resource message }
  }
}
"""


async def test_create_app_within_the_owners_role(gql: GraphQLClient, sign_in: SignIn) -> None:
    creator = await sign_in(role=Role.CREATOR)

    data = await gql.data(
        CREATE_APP,
        {"name": "Stats", "scopes": ["READ_CONTENT", "READ_ANALYTICS"]},
        token=creator.token,
    )

    app = data["createApp"]["app"]
    assert app["name"] == "Stats"
    assert app["scopes"] == ["READ_CONTENT", "READ_ANALYTICS"]
    assert app["owner"] == {"handle": creator.user.handle}


async def test_scope_names_are_what_create_app_accepts(gql: GraphQLClient, sign_in: SignIn) -> None:
    admin = await sign_in(role=Role.ADMIN)
    listed = (await gql.data("{ scopes { name scope label description } }"))["scopes"]

    data = await gql.data(
        CREATE_APP, {"name": "All", "scopes": [s["name"] for s in listed]}, token=admin.token
    )

    assert data["createApp"]["app"]["scopes"] == [s["name"] for s in listed]
    assert [s["scope"] for s in listed] == [s["name"] for s in listed]
    assert {s["name"]: s["label"] for s in listed} == {scope.name: scope.value for scope in Scope}
    assert all(s["description"] for s in listed)


async def test_an_app_cannot_get_more_than_its_owner(gql: GraphQLClient, sign_in: SignIn) -> None:
    shopper = await sign_in(role=Role.SHOPPER)

    data = await gql.data(
        CREATE_APP, {"name": "Sneaky", "scopes": ["WRITE_COMMERCE"]}, token=shopper.token
    )

    assert data["createApp"] == {
        "__typename": "ValidationError",
        "field": "scopes",
        "message": "An app cannot get more than its owner may do: write:commerce.",
    }
    assert await App.all().count() == 0


async def test_duplicate_app_name_is_a_conflict(gql: GraphQLClient, sign_in: SignIn) -> None:
    me = await sign_in()
    await gql.data(CREATE_APP, {"name": "Twin", "scopes": []}, token=me.token)

    again = await gql.data(CREATE_APP, {"name": "Twin", "scopes": []}, token=me.token)

    assert again["createApp"]["__typename"] == "ConflictError"


async def test_token_is_shown_once_and_works(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp
) -> None:
    me = await sign_in(role=Role.CREATOR)
    app = await make_app(me.user, scopes=["read:account", "read:content"])

    issued = (await gql.data(CREATE_TOKEN, {"app": gid("App", app.id)}, token=me.token))[
        "createAppToken"
    ]

    assert issued["token"].startswith("aga_")
    assert issued["appToken"]["hint"] == issued["token"][:8]
    listed = await gql.data(
        "{ viewer { apps { edges { node { tokens { edges { node { hint } } } } } } } }",
        token=me.token,
    )
    token_nodes = listed["viewer"]["apps"]["edges"][0]["node"]["tokens"]["edges"]
    assert token_nodes == [{"node": {"hint": issued["token"][:8]}}]
    assert "token" not in str(listed).replace("tokens", "")
    as_app = await gql.data("{ viewer { handle email } }", token=issued["token"])
    assert as_app == {"viewer": {"handle": me.user.handle, "email": me.user.email}}


async def test_token_expiry_is_bounded(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp
) -> None:
    me = await sign_in()
    app = await make_app(me.user)

    data = await gql.data(CREATE_TOKEN, {"app": gid("App", app.id), "days": 400}, token=me.token)

    assert data["createAppToken"] == {
        "__typename": "ValidationError",
        "field": "expiresInDays",
        "message": "Tokens expire after 1 to 366 days.",
    }


async def test_wrong_scope_is_forbidden(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    me = await sign_in()
    app = await make_app(me.user, scopes=["read:content"])
    token = await make_app_token(app)

    response = await gql.post("{ viewer { handle email } }", token=token)

    assert response.codes == ["FORBIDDEN"]
    assert response.errors[0]["message"] == "This needs the read:account scope."
    assert response.errors[0]["path"] == ["viewer", "email"]


async def test_scopes_are_cut_to_the_owners_current_role(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    """A demoted owner's app loses what the new role does not allow, on the next request."""
    me = await sign_in(role=Role.ADMIN)
    app = await make_app(me.user, scopes=["read:account"])
    token = await make_app_token(app)
    assert (await gql.data("{ viewer { email } }", token=token))["viewer"]["email"]

    await type(me.user).filter(id=me.user.id).update(role=Role.SHOPPER)
    await App.filter(id=app.id).update(scopes=["write:commerce", "read:account"])

    ok = await gql.post("{ viewer { email } }", token=token)
    assert ok.data == {"viewer": {"email": me.user.email}}  # read:account is a shopper scope


async def test_revoked_and_expired_app_tokens_are_refused(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    me = await sign_in()
    app = await make_app(me.user)
    revoked = await make_app_token(app, revoked=True)
    expired = await make_app_token(app, expires_in=timedelta(seconds=-1))

    for token in (revoked, expired):
        response = await gql.post("{ viewer { id } }", token=token)
        assert response.status == 401
        assert response.codes == ["UNAUTHENTICATED"]


async def test_revoking_a_token_stops_it_at_once(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    me = await sign_in()
    app = await make_app(me.user)
    token = await make_app_token(app)
    record = await AppToken.get(app_id=app.id)
    assert (await gql.post("{ viewer { id } }", token=token)).status == 200

    await gql.data(
        "mutation($id: ID!) { revokeAppToken(appTokenId: $id) { __typename } }",
        {"id": gid("AppToken", record.id)},
        token=me.token,
    )

    assert (await gql.post("{ viewer { id } }", token=token)).status == 401


async def test_last_used_is_recorded(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    me = await sign_in()
    app = await make_app(me.user)
    token = await make_app_token(app)

    await gql.post("{ viewer { id } }", token=token)
    second = await gql.post("{ viewer { id } }", token=token)

    assert (await AppToken.get(app_id=app.id)).last_used_at is not None
    assert second.sql == 1  # within a minute, the lookup only: no second write


# ---- authorization matrix ------------------------------------------------------------------

Actor = str  # anonymous | app | other | moderator | owner | admin
ACTORS = ["anonymous", "app", "other", "moderator", "owner", "admin"]


async def _world(
    sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> dict[str, Any]:
    owner = await sign_in(role=Role.CREATOR)
    app = await make_app(owner.user, scopes=["read:account", "read:content"])
    token_row_secret = await make_app_token(app)
    token_row = await AppToken.get(app_id=app.id)
    tokens = {
        "anonymous": None,
        "app": token_row_secret,
        "other": (await sign_in(role=Role.MERCHANT)).token,
        "moderator": (await sign_in(role=Role.MODERATOR)).token,
        "owner": owner.token,
        "admin": (await sign_in(role=Role.ADMIN)).token,
    }
    return {"owner": owner, "app": app, "token_row": token_row, "tokens": tokens}


MUTATIONS: dict[str, Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]] = {
    "updateApp": lambda w: (
        'mutation($id: ID!) { updateApp(appId: $id, name: "Renamed") { __typename } }',
        {"id": gid("App", w["app"].id)},
    ),
    "createAppToken": lambda w: (
        'mutation($id: ID!) { createAppToken(appId: $id, name: "t") { __typename } }',
        {"id": gid("App", w["app"].id)},
    ),
    "revokeAppToken": lambda w: (
        "mutation($id: ID!) { revokeAppToken(appTokenId: $id) { __typename } }",
        {"id": gid("AppToken", w["token_row"].id)},
    ),
    "deleteApp": lambda w: (
        "mutation($id: ID!) { deleteApp(appId: $id) { __typename } }",
        {"id": gid("App", w["app"].id)},
    ),
    "updateUserRole": lambda w: (
        "mutation($id: ID!) { updateUserRole(userId: $id, role: MERCHANT) { __typename } }",
        {"id": gid("User", w["owner"].user.id)},
    ),
    "createApp": lambda w: (
        'mutation { createApp(name: "new one", scopes: []) { __typename } }',
        {},
    ),
    "updateProfile": lambda w: ('mutation { updateProfile(bio: "hi") { __typename } }', {}),
    "changePassword": lambda w: (
        'mutation { changePassword(currentPassword: "x", newPassword: "y") { __typename } }',
        {},
    ),
    "logout": lambda w: ("mutation { logout { __typename } }", {}),
}

# Outcome per (mutation, actor): a __typename, or an extensions.code for a top-level error.
APP_MANAGEMENT = {
    "anonymous": "UNAUTHENTICATED",
    "app": "FORBIDDEN",
    "other": "NotFoundError",
    "moderator": "NotFoundError",
}
EXPECTED: dict[str, dict[Actor, str]] = {
    "updateApp": APP_MANAGEMENT | {"owner": "UpdateAppSuccess", "admin": "UpdateAppSuccess"},
    "createAppToken": APP_MANAGEMENT
    | {"owner": "CreateAppTokenSuccess", "admin": "CreateAppTokenSuccess"},
    "revokeAppToken": APP_MANAGEMENT
    | {"owner": "RevokeAppTokenSuccess", "admin": "RevokeAppTokenSuccess"},
    "deleteApp": APP_MANAGEMENT | {"owner": "DeleteAppSuccess", "admin": "DeleteAppSuccess"},
    "updateUserRole": {
        "anonymous": "UNAUTHENTICATED",
        "app": "FORBIDDEN",
        "other": "FORBIDDEN",
        "moderator": "FORBIDDEN",
        "owner": "FORBIDDEN",
        "admin": "UpdateUserRoleSuccess",
    },
    "createApp": {
        "anonymous": "UNAUTHENTICATED",
        "app": "FORBIDDEN",
        **dict.fromkeys(("other", "moderator", "owner", "admin"), "CreateAppSuccess"),
    },
    "updateProfile": {
        "anonymous": "UNAUTHENTICATED",
        "app": "FORBIDDEN",
        **dict.fromkeys(("other", "moderator", "owner", "admin"), "UpdateProfileSuccess"),
    },
    "changePassword": {
        "anonymous": "UNAUTHENTICATED",
        "app": "FORBIDDEN",
        **dict.fromkeys(("other", "moderator", "owner", "admin"), "ValidationError"),
    },
    "logout": {
        "anonymous": "UNAUTHENTICATED",
        "app": "FORBIDDEN",
        **dict.fromkeys(("other", "moderator", "owner", "admin"), "LogoutPayload"),
    },
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("mutation", list(MUTATIONS))
async def test_authorization_matrix(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
    mutation: str,
    actor: Actor,
) -> None:
    world = await _world(sign_in, make_app, make_app_token)
    document, variables = MUTATIONS[mutation](world)

    response = await gql.post(document, variables, token=world["tokens"][actor])

    expected = EXPECTED[mutation][actor]
    if expected.isupper():
        assert response.codes == [expected], response.body
        assert response.data == {mutation: None}
    else:
        assert not response.errors, response.errors
        assert response.data[mutation]["__typename"] == expected
    if expected in ("UNAUTHENTICATED", "FORBIDDEN", "NotFoundError"):
        assert await App.filter(id=world["app"].id, name=world["app"].name).exists()
        assert (await AppToken.get(id=world["token_row"].id)).revoked_at is None


async def test_node_hides_apps_from_others(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp
) -> None:
    owner = await sign_in()
    stranger = await sign_in()
    app = await make_app(owner.user)
    query = "query($id: ID!) { node(id: $id) { __typename ... on App { name } } }"

    mine = await gql.data(query, {"id": gid("App", app.id)}, token=owner.token)
    theirs = await gql.data(query, {"id": gid("App", app.id)}, token=stranger.token)
    anonymous = await gql.data(query, {"id": gid("App", app.id)})

    assert mine == {"node": {"__typename": "App", "name": app.name}}
    assert theirs == {"node": None}
    assert anonymous == {"node": None}


async def test_private_fields_of_other_users_are_null(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    me = await sign_in()
    admin = await sign_in(role=Role.ADMIN)
    other = await make_user(handle="someone")
    query = '{ user(handle: "someone") { handle email apps { totalCount } } }'

    as_me = await gql.data(query, token=me.token)
    as_admin = await gql.data(query, token=admin.token)

    assert as_me == {"user": {"handle": "someone", "email": None, "apps": None}}
    assert as_admin == {
        "user": {"handle": "someone", "email": other.email, "apps": {"totalCount": 0}}
    }


FactoryCall = Callable[..., Awaitable[Any]]
