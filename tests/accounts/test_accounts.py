"""Registration, sign-in, sessions, profile and password: end to end through /graphql."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from strawberry import relay

from models.accounts import Role, Session, User
from resolvers.tokens import TokenKind, new_token
from tests.factories import PASSWORD, MakeApp, MakeAppToken, MakeUser, SignIn
from tests.utils import GraphQLClient

REGISTER = """
mutation Register($email: String!, $password: String!, $handle: String!, $role: Role) {
  register(email: $email, password: $password, handle: $handle, role: $role) {
    __typename
    ... on AuthSuccess { token expiresAt user { id handle role } }
    ... on ValidationError { field message }
    ... on ConflictError { field message }
  }
}
"""
LOGIN = """
mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    __typename
    ... on AuthSuccess { token user { handle } }
    ... on InvalidCredentialsError { message }
  }
}
"""
VALID = {"email": "grace@example.com", "password": "cobol-compiler-59", "handle": "grace_h"}


async def test_register_creates_user_and_session(gql: GraphQLClient) -> None:
    data = await gql.data(REGISTER, {**VALID, "role": "CREATOR"})

    result = data["register"]
    assert result["__typename"] == "AuthSuccess"
    assert result["user"]["role"] == "CREATOR"
    assert result["token"].startswith("ags_")
    user = await User.get(handle="grace_h")
    assert user.role is Role.CREATOR
    assert await Session.filter(user_id=user.id).count() == 1


async def test_register_with_a_null_role_signs_up_a_shopper(gql: GraphQLClient) -> None:
    data = await gql.data(REGISTER, {**VALID, "role": None})

    assert data["register"]["user"]["role"] == "SHOPPER"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"handle": "Bad Handle!"}, "handle", "A handle is 3-30 characters"),
        ({"handle": "ab"}, "handle", "A handle is 3-30 characters"),
        ({"password": "short"}, "password", "A password is 10-128 characters."),
        ({"password": "password123"}, "password", "This password is too easy to guess."),
        ({"password": "aaaaaaaaaaaa"}, "password", "This password is too easy to guess."),
        ({"password": "grace_h-rocks-99"}, "password", "must not contain your email or handle"),
        ({"role": "ADMIN"}, "role", "Only shopper, creator and merchant accounts can sign up."),
    ],
)
async def test_register_rejects_bad_input(
    gql: GraphQLClient, changes: dict[str, str], field: str, message: str
) -> None:
    data = await gql.data(REGISTER, {**VALID, **changes})

    result = data["register"]
    assert result["__typename"] == "ValidationError"
    assert result["field"] == field
    assert message in result["message"]
    assert await User.all().count() == 0


async def test_register_rejects_taken_email_and_handle(
    gql: GraphQLClient, make_user: MakeUser
) -> None:
    await make_user(handle="grace_h", email="someone@example.com")
    await make_user(handle="other_one", email="grace@example.com")

    taken_email = await gql.data(REGISTER, {**VALID, "handle": "fresh_handle"})
    taken_handle = await gql.data(REGISTER, {**VALID, "email": "fresh@example.com"})

    assert taken_email["register"] == {
        "__typename": "ConflictError",
        "field": "email",
        "message": "That email is already taken.",
    }
    assert taken_handle["register"] == {
        "__typename": "ConflictError",
        "field": "handle",
        "message": "That handle is already taken.",
    }
    assert await User.all().count() == 2


async def test_login_succeeds_and_rejects_wrong_password(
    gql: GraphQLClient, make_user: MakeUser
) -> None:
    await make_user(handle="lin", email="lin@example.com")

    ok = await gql.data(LOGIN, {"email": " LIN@example.com ", "password": PASSWORD})
    wrong = await gql.data(LOGIN, {"email": "lin@example.com", "password": "nope-nope-nope"})
    unknown = await gql.data(LOGIN, {"email": "who@example.com", "password": PASSWORD})

    assert ok["login"]["__typename"] == "AuthSuccess"
    assert ok["login"]["user"] == {"handle": "lin"}
    expected = {
        "__typename": "InvalidCredentialsError",
        "message": "The email or password is incorrect.",
    }
    assert wrong["login"] == expected
    assert unknown["login"] == expected


async def test_login_with_an_email_longer_than_the_column_is_bad_input(gql: GraphQLClient) -> None:
    # Found by tests/core/test_fuzz.py: the lookup failed on the value's length (masked).
    reply = await gql.post(LOGIN, {"email": "a" * 100_000 + "@example.com", "password": PASSWORD})

    assert reply.codes == ["BAD_USER_INPUT"]
    assert reply.errors[0]["extensions"]["argument"] == "email"
    assert reply.sql == 0


async def test_repeated_failed_logins_are_rate_limited(
    gql: GraphQLClient, make_user: MakeUser
) -> None:
    await make_user(handle="lin", email="lin@example.com")
    bad = {"email": "lin@example.com", "password": "wrong-password-1"}
    for attempt in range(5):
        result = await gql.post(LOGIN, bad)
        assert result.data == {
            "login": {
                "__typename": "InvalidCredentialsError",
                "message": "The email or password is incorrect.",
            }
        }, attempt

    # even the right password is refused until the window passes
    blocked = await gql.post(LOGIN, {"email": "lin@example.com", "password": PASSWORD})

    assert blocked.codes == ["RATE_LIMITED"]
    assert blocked.errors[0]["extensions"]["retryAfterSeconds"] > 0
    assert blocked.data == {"login": None}


async def test_concurrent_wrong_logins_cannot_pass_the_lockout(
    gql: GraphQLClient, make_user: MakeUser
) -> None:
    """Each attempt is reserved before its password is verified, so guesses sent in parallel
    are checked no more often than guesses sent one after another."""
    await make_user(handle="lin", email="lin@example.com")
    bad = {"email": "lin@example.com", "password": "wrong-password-1"}

    replies = await asyncio.gather(*(gql.post(LOGIN, bad) for _ in range(60)))

    # Only an attempt whose password was verified can answer InvalidCredentialsError.
    verified = [r for r in replies if r.data and r.data["login"] is not None]
    refused = [r for r in replies if r.codes == ["RATE_LIMITED"]]
    assert len(verified) == 5
    assert all(r.data["login"]["__typename"] == "InvalidCredentialsError" for r in verified)
    assert len(refused) == 55
    assert all(r.errors[0]["extensions"]["retryAfterSeconds"] > 0 for r in refused)


async def test_concurrent_registers_from_one_address_are_limited(gql: GraphQLClient) -> None:
    signups = [
        {**VALID, "email": f"grace{n}@example.com", "handle": f"grace_{n}"} for n in range(23)
    ]

    replies = await asyncio.gather(*(gql.post(REGISTER, variables) for variables in signups))

    created = [r for r in replies if r.data and r.data["register"] is not None]
    refused = [r for r in replies if r.codes == ["RATE_LIMITED"]]
    assert len(created) == 20  # SIGNUPS_PER_HOUR's default
    assert {r.data["register"]["__typename"] for r in created} == {"AuthSuccess"}
    assert len(refused) == 3
    assert all(r.errors[0]["extensions"]["retryAfterSeconds"] > 0 for r in refused)
    assert await User.all().count() == 20


@pytest.mark.parametrize("second", ["register", "login"])
async def test_one_register_or_login_per_document(gql: GraphQLClient, second: str) -> None:
    arguments = {
        "register": 'email: "b@example.com", password: "cobol-compiler-59", handle: "grace_b"',
        "login": 'email: "b@example.com", password: "cobol-compiler-59"',
    }
    document = (
        'mutation { a: register(email: "a@example.com", password: "cobol-compiler-59", '
        f'handle: "grace_a") {{ __typename }} b: {second}({arguments[second]}) {{ __typename }} }}'
    )

    response = await gql.post(document)

    assert response.codes == ["BAD_REQUEST"]
    assert "at most one" in response.errors[0]["message"]
    assert response.data is None
    assert response.sql == 0
    assert await User.all().count() == 0


async def test_password_hashing_runs_off_the_event_loop(
    gql: GraphQLClient, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from resolvers import accounts

    await make_user(handle="lin", email="lin@example.com")
    threads: list[str] = []
    hasher = accounts._hasher

    class Recording(type(hasher)):  # type: ignore[misc]
        def hash(self, *args: Any, **kwargs: Any) -> str:
            threads.append(threading.current_thread().name)
            return hasher.hash(*args, **kwargs)

        def verify(self, *args: Any, **kwargs: Any) -> bool:
            threads.append(threading.current_thread().name)
            return hasher.verify(*args, **kwargs)

    monkeypatch.setattr(accounts, "_hasher", Recording())

    await gql.data(REGISTER, VALID)
    await gql.data(LOGIN, {"email": "lin@example.com", "password": PASSWORD})

    assert len(threads) == 2
    assert threading.main_thread().name not in threads


async def test_login_works_while_redis_is_down(
    gql: GraphQLClient, make_user: MakeUser, services: object, running: object
) -> None:
    from dataclasses import replace

    from storage.cache import open_redis

    await make_user(handle="lin", email="lin@example.com")
    state = running.state  # type: ignore[attr-defined]
    dead = open_redis("redis://127.0.0.1:1/0")
    state["services"] = replace(services, redis=dead)  # type: ignore[type-var]
    try:
        result = await gql.data(LOGIN, {"email": "lin@example.com", "password": PASSWORD})
    finally:
        state["services"] = services
        await dead.aclose()

    assert result["login"]["__typename"] == "AuthSuccess"


async def test_the_lockout_holds_in_process_while_redis_is_down(
    gql: GraphQLClient, make_user: MakeUser, services: object, running: object
) -> None:
    """A flood that makes Redis time out must not switch the lockout off."""
    from dataclasses import replace

    from storage.cache import open_redis

    await make_user(handle="lin", email="lin@example.com")
    bad = {"email": "lin@example.com", "password": "wrong-password-1"}
    state = running.state  # type: ignore[attr-defined]
    dead = open_redis("redis://127.0.0.1:1/0")
    state["services"] = replace(services, redis=dead)  # type: ignore[type-var]
    try:
        replies = await asyncio.gather(*(gql.post(LOGIN, bad) for _ in range(20)))
    finally:
        state["services"] = services
        await dead.aclose()

    verified = [r for r in replies if r.data and r.data["login"] is not None]
    assert len(verified) == 5
    assert sum(r.codes == ["RATE_LIMITED"] for r in replies) == 15


async def test_malformed_token_is_refused_without_sql(gql: GraphQLClient) -> None:
    for token in ("ags_short", "ags_" + "A" * 36, "xyz_" + "A" * 36, "not-a-token"):
        response = await gql.post("{ viewer { id } }", token=token)

        assert response.status == 401
        assert response.codes == ["UNAUTHENTICATED"]
        assert response.errors[0]["message"] == "The token is malformed."
        assert response.sql == 0


async def test_cart_token_as_bearer_is_refused_without_sql(gql: GraphQLClient) -> None:
    response = await gql.post("{ viewer { id } }", token=new_token(TokenKind.CART))

    assert response.status == 401
    assert response.codes == ["UNAUTHENTICATED"]
    assert "cartToken" in response.errors[0]["message"]
    assert response.sql == 0


async def test_expired_and_revoked_sessions_are_refused(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    expired = await sign_in(expires_in=timedelta(seconds=-1))
    revoked = await sign_in()
    await Session.filter(user_id=revoked.user.id).update(revoked_at=datetime.now(UTC))

    for token in (expired.token, revoked.token):
        response = await gql.post("{ viewer { id } }", token=token)
        assert response.status == 401
        assert response.errors[0]["message"] == "The token is invalid, expired or revoked."


async def test_disabled_account_cannot_use_its_session(gql: GraphQLClient, sign_in: SignIn) -> None:
    person = await sign_in()
    await User.filter(id=person.user.id).update(is_active=False)

    response = await gql.post("{ viewer { id } }", token=person.token)

    assert response.status == 401
    assert response.codes == ["UNAUTHENTICATED"]


async def test_logout_revokes_this_session_or_all(gql: GraphQLClient, sign_in: SignIn) -> None:
    first = await sign_in()
    second = await sign_in(user=first.user)
    third = await sign_in(user=first.user)

    one = await gql.data("mutation { logout { revokedSessions } }", token=first.token)
    assert one == {"logout": {"revokedSessions": 1}}
    assert (await gql.post("{ viewer { id } }", token=first.token)).status == 401
    assert (await gql.data("{ viewer { handle } }", token=second.token))["viewer"] is not None

    everywhere = await gql.data(
        "mutation { logout(everywhere: true) { revokedSessions } }", token=second.token
    )
    assert everywhere == {"logout": {"revokedSessions": 2}}
    assert (await gql.post("{ viewer { id } }", token=third.token)).status == 401


async def test_logout_needs_a_session(gql: GraphQLClient) -> None:
    response = await gql.post("mutation { logout { revokedSessions } }")

    assert response.codes == ["UNAUTHENTICATED"]


async def test_sessions_lists_active_sessions(gql: GraphQLClient, sign_in: SignIn) -> None:
    me = await sign_in()
    await sign_in(user=me.user)

    data = await gql.data("{ sessions { isCurrent expiresAt } }", token=me.token)

    assert sorted(s["isCurrent"] for s in data["sessions"]) == [False, True]


async def test_session_ids_are_global_ids_that_node_resolves_for_their_user_only(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    me, stranger = await sign_in(), await sign_in()
    app_token = await make_app_token(await make_app(me.user, scopes=["read:account"]))
    [listed] = (await gql.data("{ sessions { id isCurrent } }", token=me.token))["sessions"]
    session = await Session.get(user_id=me.user.id)
    assert listed == {"id": str(relay.GlobalID("Session", str(session.id))), "isCurrent": True}

    query = "query($id: ID!) { node(id: $id) { __typename ... on Session { id isCurrent } } }"
    mine = await gql.data(query, {"id": listed["id"]}, token=me.token)
    theirs = await gql.data(query, {"id": listed["id"]}, token=stranger.token)
    by_app = await gql.data(query, {"id": listed["id"]}, token=app_token)
    anonymous = await gql.data(query, {"id": listed["id"]})

    assert mine == {"node": {"__typename": "Session", **listed}}
    assert theirs == by_app == anonymous == {"node": None}


UPDATE_PROFILE = """
mutation($name: String, $bio: String, $handle: String) {
  updateProfile(displayName: $name, bio: $bio, handle: $handle) {
    __typename
    ... on UpdateProfileSuccess { user { handle displayName bio } }
    ... on ValidationError { field message }
    ... on ConflictError { field message }
  }
}
"""


async def test_update_profile(gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser) -> None:
    me = await sign_in()
    await make_user(handle="taken_one")

    ok = await gql.data(
        UPDATE_PROFILE,
        {"name": "  Ada   Lovelace ", "bio": "Poet of science", "handle": "ada"},
        token=me.token,
    )
    taken = await gql.data(UPDATE_PROFILE, {"handle": "taken_one"}, token=me.token)
    bad = await gql.data(UPDATE_PROFILE, {"bio": "x" * 501}, token=me.token)

    assert ok["updateProfile"] == {
        "__typename": "UpdateProfileSuccess",
        "user": {"handle": "ada", "displayName": "Ada Lovelace", "bio": "Poet of science"},
    }
    assert taken["updateProfile"]["__typename"] == "ConflictError"
    assert bad["updateProfile"] == {
        "__typename": "ValidationError",
        "field": "bio",
        "message": "A bio is at most 500 characters.",
    }
    assert (await User.get(id=me.user.id)).handle == "ada"


@pytest.mark.parametrize("bio", ["a\u0000b", "\u0000"])
async def test_a_bio_holding_nul_is_refused_before_anything_runs(
    gql: GraphQLClient, sign_in: SignIn, bio: str
) -> None:
    # Found by tests/core/test_fuzz.py: PostgreSQL text cannot hold U+0000 (masked error).
    me = await sign_in()
    as_variable = await gql.post(UPDATE_PROFILE, {"bio": bio}, token=me.token)
    as_literal = await gql.post(
        f"mutation {{ updateProfile(bio: {json.dumps(bio)}) {{ __typename }} }}", token=me.token
    )

    assert as_variable.codes == ["BAD_USER_INPUT"]
    assert as_variable.errors[0]["extensions"]["variable"] == "bio"
    assert as_variable.data is None  # a request error: nothing ran
    assert as_literal.codes == ["BAD_USER_INPUT"]
    assert as_literal.errors[0]["extensions"]["argument"] == "bio"
    assert (await User.get(id=me.user.id)).bio == ""


CHANGE_PASSWORD = """
mutation($current: String!, $new: String!) {
  changePassword(currentPassword: $current, newPassword: $new) {
    __typename
    ... on ValidationError { field message }
  }
}
"""


async def test_change_password_signs_out_other_sessions(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    me = await sign_in()
    other = await sign_in(user=me.user)

    wrong = await gql.data(
        CHANGE_PASSWORD, {"current": "not-it-at-all", "new": "brand-new-pass-7"}, token=me.token
    )
    changed = await gql.data(
        CHANGE_PASSWORD, {"current": PASSWORD, "new": "brand-new-pass-7"}, token=me.token
    )

    assert wrong["changePassword"] == {
        "__typename": "ValidationError",
        "field": "currentPassword",
        "message": "The current password is incorrect.",
    }
    assert changed["changePassword"] == {"__typename": "ChangePasswordSuccess"}
    assert (await gql.post("{ viewer { id } }", token=other.token)).status == 401
    assert (await gql.data("{ viewer { id } }", token=me.token))["viewer"] is not None
    login = await gql.data(LOGIN, {"email": me.user.email, "password": "brand-new-pass-7"})
    assert login["login"]["__typename"] == "AuthSuccess"


async def test_no_password_or_token_plaintext_in_the_database(gql: GraphQLClient) -> None:
    registered = (await gql.data(REGISTER, VALID))["register"]
    logged_in = (await gql.data(LOGIN, {"email": VALID["email"], "password": VALID["password"]}))[
        "login"
    ]
    app = await gql.data(
        'mutation { createApp(name: "crm", scopes: [READ_CONTENT]) { '
        "... on CreateAppSuccess { app { id } } } }",
        token=logged_in["token"],
    )
    issued = await gql.data(
        'mutation($id: ID!) { createAppToken(appId: $id, name: "ci") { '
        "... on CreateAppTokenSuccess { token } } }",
        {"id": app["createApp"]["app"]["id"]},
        token=logged_in["token"],
    )
    secrets = [
        VALID["password"],
        registered["token"],
        logged_in["token"],
        issued["createAppToken"]["token"],
    ]

    dump = await database_dump()

    for secret in secrets:
        assert secret not in dump
        assert secret[4:] not in dump  # not even without the prefix
    assert "$argon2id$" in dump  # the password is there, hashed


async def database_dump() -> str:
    from tortoise import Tortoise

    connection = Tortoise.get_connection("default")
    text: list[str] = []
    for table in ("users", "sessions", "apps", "app_tokens"):
        _, rows = await connection.execute_query(f'SELECT * FROM "{table}"')
        text.extend(repr(dict(row)) for row in rows)
    return "\n".join(text)
