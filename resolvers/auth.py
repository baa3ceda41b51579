"""Authentication of bearer tokens and the one-rule-per-helper authorization checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from models.accounts import Role, Session, User
from models.apps import AppToken
from resolvers.errors import Forbidden, Unauthenticated
from resolvers.principal import ANONYMOUS, ROLE_SCOPES, Principal, Scope
from resolvers.tokens import TokenKind, parse_token

if TYPE_CHECKING:
    from resolvers.context import Context

# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_INVALID = "The token is invalid, expired or revoked."


async def authenticate(authorization: str | None) -> Principal:
    if not authorization:
        return ANONYMOUS
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <token>'.")
    parsed = parse_token(value.strip())
    if parsed is None:  # decided without touching the database
        raise Unauthenticated("The token is malformed.")
    if parsed.kind is TokenKind.SESSION:
        return await _session_principal(parsed.digest)
    if parsed.kind is TokenKind.APP:
        return await _app_principal(parsed.digest)
    # A cart token names a cart, not a caller; it goes in `cartToken` arguments.
    raise Unauthenticated("A cart token is not a bearer token; pass it as `cartToken`.")


async def _session_principal(digest: str) -> Principal:
    session = await Session.filter(token_hash=digest).select_related("user").first()
    now = datetime.now(UTC)
    if session is None or not _usable(session.revoked_at, session.expires_at, now):
        raise Unauthenticated(_INVALID)
    if not session.user.is_active:
        raise Unauthenticated("This account is disabled.")
    if _stale(session.last_used_at, now):
        await Session.filter(id=session.id).update(last_used_at=now)
    return Principal.for_session(session.user, session.id)


async def _app_principal(digest: str) -> Principal:
    token = await AppToken.filter(token_hash=digest).select_related("app__owner").first()
    now = datetime.now(UTC)
    if token is None or not _usable(token.revoked_at, token.expires_at, now):
        raise Unauthenticated(_INVALID)
    owner = token.app.owner
    if not owner.is_active:
        raise Unauthenticated("The app's owner account is disabled.")
    if _stale(token.last_used_at, now):
        await AppToken.filter(id=token.id).update(last_used_at=now)
    return Principal.for_app(token.app, owner, token.id)


def _usable(revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    return revoked_at is None and (expires_at is None or expires_at > now)


def _stale(last_used_at: datetime | None, now: datetime) -> bool:
    return last_used_at is None or now - last_used_at >= LAST_USED_RESOLUTION


def require_user(ctx: Context) -> User:
    """Any signed-in principal: a user session or an app acting for its owner."""
    if ctx.principal.user is None:
        raise Unauthenticated("Sign in to do this.")
    return ctx.principal.user


def require_session(ctx: Context) -> User:
    """The user in person: apps may not manage accounts, sessions, apps or tokens."""
    user = require_user(ctx)
    if ctx.principal.is_app:
        raise Forbidden("Apps cannot do this; it needs the user's own session.")
    return user


def require_scope(ctx: Context, scope: Scope) -> User:
    """A caller whose scopes include `scope`, and a message naming the real cause if not.

    A user's own session holds what their role allows, so a missing scope is the role's doing
    and the message names the roles that have it. An app is told about its scope, and also
    about its owner's role when the app was granted the scope but the role cuts it off.
    """
    user = require_user(ctx)
    if scope in ctx.principal.scopes:
        return user
    if not ctx.principal.is_app:
        roles = [role for role in Role if scope in ROLE_SCOPES[role]]
        raise _role_refusal(user, roles)
    app = ctx.principal.app
    if app is not None and scope.value in app.scopes:
        raise Forbidden(
            f"This needs the {scope.value} scope, which the app's owner's role "
            f"({user.role.value}) does not allow.",
            scope=scope.value,
        )
    raise Forbidden(f"This needs the {scope.value} scope.", scope=scope.value)


def require_role_and_scope(ctx: Context, scope: Scope, *roles: Role) -> User:
    """For work only some roles do, also through apps: the role decides for people, and an
    app needs the scope as well (its message comes first, naming what the app lacks)."""
    user = require_user(ctx)
    if ctx.principal.is_app:
        require_scope(ctx, scope)
    if user.role not in roles:
        raise _role_refusal(user, list(roles))
    return require_scope(ctx, scope)


def require_role(ctx: Context, *roles: Role) -> User:
    user = require_session(ctx)
    if user.role not in roles:
        raise _role_refusal(user, list(roles))
    return user


def _role_refusal(user: User, allowed: list[Role]) -> Forbidden:
    roles = [role for role in Role if role in allowed]
    names = [role.value for role in roles]
    needed = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return Forbidden(
        f"This needs the {needed} role (yours: {user.role.value}).",
        roles=[role.name for role in roles],
    )


def can_see_private(ctx: Context, user_id: int) -> bool:
    """May the caller see this user's private data (email, apps, sessions)?

    The user in person and staff may; an app may for its own owner only with read:account,
    and asking without that scope is a FORBIDDEN error rather than a silent null.
    """
    viewer = ctx.principal.user
    if viewer is None:
        return False
    if ctx.principal.is_app:
        if viewer.id != user_id:
            return False
        require_scope(ctx, Scope.READ_ACCOUNT)
        return True
    return viewer.id == user_id or viewer.role in (Role.ADMIN, Role.MODERATOR)
