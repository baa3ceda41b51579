"""Apps, scopes and app tokens, and the authorization matrix of every app/account mutation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from models.accounts import Role, User
from models.apps import App, AppToken
from resolvers.principal import Scope
from schema.accounts import AccountMutation
from schema.apps import AppMutation
from tests.authz import FORBIDDEN, NOT_FOUND, Actor, Matrix, World, row
from tests.factories import MakeApp, MakeAppToken, MakeUser, SignIn
from tests.utils import GraphQLClient, gid

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


# ---- authorization matrix (tests/authz.py runs it; apps need a session: no scope does) -----


async def _scene(w: World) -> None:
    """An app of the buyer's with one live token."""
    app = await w.make_app(w.buyer.user, scopes=["read:account", "read:content"])
    await w.make_app_token(app)
    w.scene.update(app=app, token_row=await AppToken.get(app_id=app.id))


async def _snapshot(w: World) -> Any:
    app, token_row = w.scene["app"], w.scene["token_row"]
    return (
        await App.filter(id=app.id).values_list("name", flat=True),
        (await AppToken.get(id=token_row.id)).revoked_at,
        (await User.get(id=w.buyer.user.id)).role,
    )


def _app(w: World) -> dict[str, Any]:
    return {"id": gid("App", w.scene["app"].id)}


SIGNED_IN: list[Actor] = ["other_user", "other_merchant", "moderator", "owner", "admin"]
# Apps are managed by their owner and admins, in person; to anyone else they do not exist.
APP_MANAGEMENT: dict[str, Any] = {"allowed": ["owner", "admin"], "refusal": NOT_FOUND}

MATRIX = Matrix(
    scene=_scene,
    snapshot=_snapshot,
    domain=[AccountMutation, AppMutation],
    exempt={
        "register": "anyone may sign up: it needs no caller",
        "login": "anyone may sign in: it needs no caller",
    },
    rows=[
        row(
            "updateApp",
            'mutation($id: ID!) { updateApp(appId: $id, name: "Renamed") { __typename } }',
            _app,
            success="UpdateAppSuccess",
            **APP_MANAGEMENT,
        ),
        row(
            "createAppToken",
            'mutation($id: ID!) { createAppToken(appId: $id, name: "t") { __typename } }',
            _app,
            success="CreateAppTokenSuccess",
            **APP_MANAGEMENT,
        ),
        row(
            "revokeAppToken",
            "mutation($id: ID!) { revokeAppToken(appTokenId: $id) { __typename } }",
            lambda w: {"id": gid("AppToken", w.scene["token_row"].id)},
            success="RevokeAppTokenSuccess",
            **APP_MANAGEMENT,
        ),
        row(
            "deleteApp",
            "mutation($id: ID!) { deleteApp(appId: $id) { __typename } }",
            _app,
            success="DeleteAppSuccess",
            **APP_MANAGEMENT,
        ),
        row(
            "updateUserRole",
            "mutation($id: ID!) { updateUserRole(userId: $id, role: MERCHANT) { __typename } }",
            lambda w: {"id": gid("User", w.buyer.user.id)},
            allowed=["admin"],
            success="UpdateUserRoleSuccess",
            refusal=FORBIDDEN,
        ),
        row(
            "createApp",
            'mutation { createApp(name: "new one", scopes: []) { __typename } }',
            allowed=SIGNED_IN,
            success="CreateAppSuccess",
        ),
        row(
            "updateProfile",
            'mutation { updateProfile(bio: "hi") { __typename } }',
            allowed=SIGNED_IN,
            success="UpdateProfileSuccess",
        ),
        row(
            "changePassword",
            'mutation { changePassword(currentPassword: "x", newPassword: "y") { __typename } }',
            allowed=SIGNED_IN,
            success="ValidationError",  # past the check, the current password is wrong
            changes=False,
        ),
        row(
            "logout",
            "mutation { logout { __typename } }",
            allowed=SIGNED_IN,
            success="LogoutPayload",
        ),
    ],
)
test_every_account_and_app_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()


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
