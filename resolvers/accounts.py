"""Accounts: registration, sign-in with throttling, sessions, profiles, passwords, roles."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import Role, Session, User
from resolvers import carts
from resolvers.auth import require_role, require_session
from resolvers.errors import Conflict, InvalidInput, NotFound, RateLimited
from resolvers.loading import by_id, forget
from resolvers.pagination import Page, PageArgs, paginate_query
from resolvers.principal import Principal
from resolvers.ratelimit import LOCAL_COUNTS, consume
from resolvers.tokens import TokenKind, hash_token, new_token
from storage.cache import RedisSkipped
from storage.logthrottle import LogThrottle

if TYPE_CHECKING:
    from resolvers.context import Context

user_by_id = by_id(User)

log = logging.getLogger(__name__)

SELF_SERVICE_ROLES = (Role.SHOPPER, Role.CREATOR, Role.MERCHANT)
EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
HANDLE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{2,29}$")
PASSWORD_MIN, PASSWORD_MAX = 10, 128
EMAIL_MAX = 254  # users.email
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "iloveyou123",
        "letmein123",
        "administrator",
        "passw0rd123",
        "welcome123",
        "abc1234567",
    }
)

_hasher = PasswordHasher()
# Verified against when the email is unknown, so a miss costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("agora-timing-equaliser")


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    token: str
    expires_at: datetime


# ---- validation -------------------------------------------------------------------------------


def normalize_email(email: str) -> str:
    cleaned = email.strip().lower()
    if len(cleaned) > EMAIL_MAX or not EMAIL_PATTERN.match(cleaned):
        raise InvalidInput("email", "Enter a valid email address.")
    return cleaned


def check_handle(handle: str) -> str:
    cleaned = handle.strip().lower()
    if not HANDLE_PATTERN.match(cleaned):
        raise InvalidInput(
            "handle",
            "A handle is 3-30 characters: lowercase letters, digits and underscores, "
            "starting with a letter.",
        )
    return cleaned


def check_display_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= 80:
        raise InvalidInput("displayName", "A display name is 1-80 characters.")
    return cleaned


def check_password(password: str, *, field: str, email: str, handle: str) -> str:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(field, f"A password is {PASSWORD_MIN}-{PASSWORD_MAX} characters.")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 5:
        raise InvalidInput(field, "This password is too easy to guess.")
    local_part = email.split("@", 1)[0]
    if (len(local_part) >= 4 and local_part in lowered) or (handle and handle in lowered):
        raise InvalidInput(field, "The password must not contain your email or handle.")
    return password


async def hash_password(password: str) -> str:
    # argon2 is deliberately slow CPU work: keep it off the event loop.
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(verify)


# ---- sessions ---------------------------------------------------------------------------------


async def open_session(ctx: Context, user: User) -> SignedIn:
    token = new_token(TokenKind.SESSION)
    expires_at = datetime.now(UTC) + timedelta(seconds=ctx.settings.session_ttl_seconds)
    session = await Session.create(
        user_id=user.id,
        token_hash=hash_token(token),
        expires_at=expires_at,
        user_agent=ctx.request.headers.get("user-agent", "")[:200],
    )
    # The rest of this response is resolved as the user who just signed in.
    ctx.principal = Principal.for_session(user, session.id)
    return SignedIn(user=user, token=token, expires_at=expires_at)


async def register(
    ctx: Context, *, email: str, password: str, handle: str, display_name: str | None, role: Role
) -> SignedIn:
    email = normalize_email(email)
    handle = check_handle(handle)
    name = check_display_name(display_name if display_name is not None else handle)
    check_password(password, field="password", email=email, handle=handle)
    if role not in SELF_SERVICE_ROLES:
        raise InvalidInput("role", "Only shopper, creator and merchant accounts can sign up.")
    # Counted before the uniqueness check (which tells whether an email has an account) and
    # the argon2 hash (deliberately slow): those are what repeating a sign-up costs.
    await consume(
        ctx,
        "signup",
        ctx.client_network,
        limit=ctx.settings.signups_per_hour,
        window_seconds=3600,
        message="Too many sign-ups from this address. Try again later.",
    )
    await _ensure_unique(email=email, handle=handle)
    password_hash = await hash_password(password)
    try:
        async with in_transaction():
            user = await User.create(
                email=email,
                handle=handle,
                display_name=name,
                role=role,
                password_hash=password_hash,
            )
            return await open_session(ctx, user)
    except IntegrityError:  # lost a race with another sign-up for the same email or handle
        raise Conflict("That email or handle is already taken.") from None


async def _ensure_unique(
    *, email: str | None = None, handle: str | None = None, exclude_id: int | None = None
) -> None:
    for field, value in (("email", email), ("handle", handle)):
        if value is None:
            continue
        query = User.filter(**{field: value})
        if exclude_id is not None:
            query = query.exclude(id=exclude_id)
        if await query.exists():
            raise Conflict(f"That {field} is already taken.", field=field)


async def login(
    ctx: Context, *, email: str, password: str, cart_token: str | None = None
) -> SignedIn | None:
    """The new session, or None when the credentials are wrong (the attempt stays counted).

    With `cart_token`, the anonymous cart is merged into the user's open cart.
    """
    cleaned = email.strip().lower()
    if len(cleaned) > EMAIL_MAX:  # no account has it, and the query would fail on its length
        raise InvalidInput("email", f"An email address is at most {EMAIL_MAX} characters.")
    throttle = LoginThrottle(ctx, cleaned)
    await throttle.reserve()  # a failure stays counted; it is counted before it is verified
    user = await User.filter(email=cleaned).first()
    valid = await verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not valid or not user.is_active:
        return None
    await throttle.succeeded()
    signed_in = await open_session(ctx, user)
    if cart_token:
        await carts.merge_anonymous_cart(user, cart_token)
    return signed_in


async def logout(ctx: Context, *, everywhere: bool) -> int:
    user = require_session(ctx)
    sessions = Session.filter(user_id=user.id, revoked_at=None)
    if not everywhere:
        sessions = sessions.filter(id=ctx.principal.session_id)
    return await sessions.update(revoked_at=datetime.now(UTC))


async def update_profile(
    ctx: Context, *, display_name: str | None, bio: str | None, handle: str | None
) -> User:
    user = require_session(ctx)
    changes: dict[str, str] = {}
    if display_name is not None:
        changes["display_name"] = check_display_name(display_name)
    if bio is not None:
        if len(bio) > 500:
            raise InvalidInput("bio", "A bio is at most 500 characters.")
        changes["bio"] = bio.strip()
    if handle is not None:
        changes["handle"] = check_handle(handle)
        await _ensure_unique(handle=changes["handle"], exclude_id=user.id)
    if changes:
        try:
            await User.filter(id=user.id).update(**changes)
        except IntegrityError:
            raise Conflict("That handle is already taken.", field="handle") from None
        user.update_from_dict(changes)
        forget(ctx.loaders[user_by_id], user.id)
    return user


async def change_password(ctx: Context, *, current_password: str, new_password: str) -> User:
    user = require_session(ctx)
    if not await verify_password(user.password_hash, current_password):
        raise InvalidInput("currentPassword", "The current password is incorrect.")
    check_password(new_password, field="newPassword", email=user.email, handle=user.handle)
    if new_password == current_password:
        raise InvalidInput("newPassword", "The new password must differ from the current one.")
    password_hash = await hash_password(new_password)
    async with in_transaction():
        await User.filter(id=user.id).update(password_hash=password_hash)
        # Anyone holding another session of this account is signed out.
        await (
            Session.filter(user_id=user.id, revoked_at=None)
            .exclude(id=ctx.principal.session_id)
            .update(revoked_at=datetime.now(UTC))
        )
    user.password_hash = password_hash
    return user


async def set_user_role(ctx: Context, *, user_id: int, role: Role) -> User:
    admin = require_role(ctx, Role.ADMIN)
    if user_id == admin.id:
        raise InvalidInput("userId", "Admins cannot change their own role.")
    if await User.filter(id=user_id).update(role=role) == 0:
        raise NotFound("User")
    forget(ctx.loaders[user_by_id], user_id)
    user = await ctx.loaders[user_by_id].load(user_id)
    assert user is not None
    return user


async def list_sessions(ctx: Context) -> list[Session]:
    user = require_session(ctx)
    now = datetime.now(UTC)
    return await Session.filter(user_id=user.id, revoked_at=None, expires_at__gt=now).order_by(
        "-id"
    )


async def visible_sessions(ctx: Context, ids: Sequence[int]) -> list[Session | None]:
    """For node(id) and nodes: the viewer's own active sessions, in person only (never apps)."""
    user = ctx.principal.user
    if user is None or ctx.principal.is_app or not ids:
        return [None] * len(ids)
    now = datetime.now(UTC)
    rows = await Session.filter(id__in=ids, user_id=user.id, revoked_at=None, expires_at__gt=now)
    found = {row.id: row for row in rows}
    return [found.get(pk) for pk in ids]


# ---- throttling -------------------------------------------------------------------------------


# KEYS: the email's counter, the address's counter. ARGV: window seconds, email limit,
# address limit. Counts the attempt on both first, then checks the incremented values, so two
# guesses running at once cannot both see the last free slot; a refused attempt is taken back
# (it verified nothing, and must not lock the address out for other accounts). Returns
# {1 if reserved else 0, seconds until the blocking counter resets}.
_RESERVE_ATTEMPT = """
local window = tonumber(ARGV[1])
local limits = {tonumber(ARGV[2]), tonumber(ARGV[3])}
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  if redis.call('TTL', key) < 0 then
    redis.call('EXPIRE', key, window)
  end
end
local blocked, retry = false, 0
for i, key in ipairs(KEYS) do
  if counts[i] > limits[i] then
    blocked = true
    retry = math.max(retry, redis.call('TTL', key))
  end
end
if not blocked then
  return {1, 0}
end
for _, key in ipairs(KEYS) do
  redis.call('DECR', key)
end
return {0, retry}
"""
# Gives a reservation back to a counter, only while it exists: DECR on an expired key would
# create a counter that never expires.
_RELEASE_ATTEMPT = """
if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then
  redis.call('DECR', KEYS[1])
end
return 0
"""
# Sent by SHA, as the budget's script (resolvers/budget.py).
_RESERVE_SCRIPT = AsyncScript(cast("Redis", None), _RESERVE_ATTEMPT.encode())
_RELEASE_SCRIPT = AsyncScript(cast("Redis", None), _RELEASE_ATTEMPT.encode())


class LoginThrottle:
    """Counts sign-in attempts per email and per client address in Redis, in a fixed window.

    An attempt is reserved (counted) before its password is verified and kept if it fails, so
    at most the limit of guesses are verified per window however many run at once. A
    successful sign-in gives its reservation back and resets the email's counter.

    If Redis is unreachable (or was a moment ago, and its breaker skips it for now), the same
    counts are kept in this process instead (and it is logged): sign-in stays available, and a
    flood that slows Redis past its timeout cannot switch the lockout off. Each process then
    counts on its own, so the limits hold per process until Redis answers again.
    """

    PER_ADDRESS_FACTOR = 10

    def __init__(self, ctx: Context, email: str) -> None:
        self.ctx = ctx
        self.window = ctx.settings.login_failure_window_seconds
        self.limit = ctx.settings.login_max_failures
        email_id = hashlib.sha256(email.encode()).hexdigest()[:32]
        self.email_key = ctx.keys("login-failures", "email", email_id)
        self.address_key = ctx.keys("login-failures", "address", ctx.client_network)

    async def reserve(self) -> None:
        """Count this attempt, or raise RateLimited (counting nothing) past either limit."""
        try:
            with self.ctx.redis_breaker.guard():
                reply = _RESERVE_SCRIPT(
                    keys=[self.email_key, self.address_key],
                    args=[self.window, self.limit, self.limit * self.PER_ADDRESS_FACTOR],
                    client=self.ctx.redis,
                )
                reserved, retry_after = await cast("Awaitable[list[int]]", reply)
        except RedisError as exc:
            _throttle_unavailable(exc)
            reserved, retry_after = LOCAL_COUNTS.reserve(
                [
                    (self.email_key, self.limit),
                    (self.address_key, self.limit * self.PER_ADDRESS_FACTOR),
                ],
                self.window,
            )
        if not reserved:
            # TTL rounds down: under a second left still means "retry in a second".
            raise RateLimited("Too many failed sign-ins. Try again later.", max(1, retry_after))

    async def succeeded(self) -> None:
        """The attempt was no failure: reset the email's counter, give the address's back."""
        try:
            with self.ctx.redis_breaker.guard():
                await self.ctx.redis.delete(self.email_key)
                await cast(
                    "Awaitable[Any]",
                    _RELEASE_SCRIPT(keys=[self.address_key], args=[], client=self.ctx.redis),
                )
        except RedisError as exc:
            _throttle_unavailable(exc)
        # Either way: a reservation taken here while Redis was away is given back here.
        LOCAL_COUNTS.reset(self.email_key)
        LOCAL_COUNTS.release(self.address_key)


# With Redis down every sign-in would log the same warning: once, then a count a minute.
_unavailable = LogThrottle(log)


def _throttle_unavailable(exc: RedisError) -> None:
    _unavailable.failure(
        logging.WARNING,
        exc,
        "login throttle unavailable: Redis unreachable (%s); not enforcing it",
        exc,
        # The breaker logged the failure that opened it; its own frames say nothing.
        traceback=not isinstance(exc, RedisSkipped),
    )


async def visible_users(ctx: Context, ids: Sequence[int]) -> list[User | None]:
    """For node(id), nodes and user lookups: profiles are public, except those of
    deactivated accounts, which only staff still see."""
    rows = await ctx.loaders[user_by_id].load_many(ids)
    return [row if row is not None and _shows_profile(ctx, row) else None for row in rows]


def _shows_profile(ctx: Context, user: User) -> bool:
    viewer = ctx.principal.user
    return user.is_active or (viewer is not None and viewer.role in (Role.ADMIN, Role.MODERATOR))


async def user_by_handle(ctx: Context, handle: str) -> User | None:
    """Profiles are public; what cannot be a handle names nobody, and costs no SQL."""
    wanted = handle.strip().lower()
    if not HANDLE_PATTERN.match(wanted):
        return None
    user = await User.filter(handle=wanted).first()
    return user if user is not None and _shows_profile(ctx, user) else None


async def list_users(ctx: Context, args: PageArgs) -> Page[User]:
    """Every account, newest first: admins and moderators only."""
    require_role(ctx, Role.ADMIN, Role.MODERATOR)
    return await paginate_query(User.all(), args)
