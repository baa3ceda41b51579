"""Third-party apps and their API tokens. Only the owner (in person) or an admin manages them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError

from models.accounts import Role, User
from models.apps import App, AppToken
from resolvers.accounts import user_by_id
from resolvers.auth import require_session
from resolvers.errors import Conflict, InvalidInput, NotFound
from resolvers.loading import by_id, forget, grouped
from resolvers.principal import ROLE_SCOPES, Scope
from resolvers.tokens import TokenKind, hash_token, new_token, token_hint

if TYPE_CHECKING:
    from resolvers.context import Context

app_by_id = by_id(App)
app_token_by_id = by_id(AppToken)
apps_by_owner = grouped(App, "owner_id", order_by=("-id",))
tokens_by_app = grouped(AppToken, "app_id", order_by=("-id",))

MAX_APPS_PER_USER = 50
MAX_ACTIVE_TOKENS_PER_APP = 20
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 366


@dataclass(frozen=True, slots=True)
class IssuedToken:
    record: AppToken
    token: str


def check_scopes(owner: User, scopes: Iterable[str]) -> list[str]:
    requested = list(dict.fromkeys(scopes))
    known = {scope.value for scope in Scope}
    unknown = [scope for scope in requested if scope not in known]
    if unknown:
        raise InvalidInput("scopes", f"Unknown scopes: {', '.join(unknown)}.")
    beyond = [scope for scope in requested if Scope(scope) not in ROLE_SCOPES[owner.role]]
    if beyond:
        raise InvalidInput(
            "scopes", f"An app cannot get more than its owner may do: {', '.join(beyond)}."
        )
    return requested


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= 80:
        raise InvalidInput("name", "A name is 1-80 characters.")
    return cleaned


async def create_app(ctx: Context, *, name: str, description: str, scopes: list[str]) -> App:
    owner = require_session(ctx)
    name = check_name(name)
    granted = check_scopes(owner, scopes)
    if len(description) > 500:
        raise InvalidInput("description", "A description is at most 500 characters.")
    app = await insert_app(owner, name=name, description=description, scopes=granted)
    forget(ctx.loaders[apps_by_owner], owner.id)
    return app


async def insert_app(owner: User, *, name: str, description: str, scopes: list[str]) -> App:
    """Create an app with already checked scopes: for resolvers above and operators' CLI."""
    if await App.filter(owner_id=owner.id).count() >= MAX_APPS_PER_USER:
        raise Conflict(f"You can have at most {MAX_APPS_PER_USER} apps.")
    try:
        return await App.create(
            owner_id=owner.id, name=name, description=description.strip(), scopes=scopes
        )
    except IntegrityError:
        raise Conflict("You already have an app with that name.", field="name") from None


async def managed_app(ctx: Context, app_id: int) -> App:
    """The app if the caller may manage it; NotFound otherwise, so ids of others leak nothing."""
    user = require_session(ctx)
    app = await ctx.loaders[app_by_id].load(app_id)
    if app is None or (app.owner_id != user.id and user.role is not Role.ADMIN):
        raise NotFound("App")
    return app


async def update_app(
    ctx: Context,
    *,
    app_id: int,
    name: str | None,
    description: str | None,
    scopes: list[str] | None,
) -> App:
    app = await managed_app(ctx, app_id)
    owner = await ctx.loaders[user_by_id].load(app.owner_id)
    assert owner is not None
    if name is not None:
        app.name = check_name(name)
    if description is not None:
        if len(description) > 500:
            raise InvalidInput("description", "A description is at most 500 characters.")
        app.description = description.strip()
    if scopes is not None:
        # Takes effect on the next request of every token: scopes are read per request.
        app.scopes = check_scopes(owner, scopes)
    try:
        await app.save(update_fields=["name", "description", "scopes", "updated_at"])
    except IntegrityError:
        raise Conflict("You already have an app with that name.", field="name") from None
    return app


async def delete_app(ctx: Context, *, app_id: int) -> int:
    app = await managed_app(ctx, app_id)
    await App.filter(id=app.id).delete()
    forget(ctx.loaders[app_by_id], app.id)
    forget(ctx.loaders[apps_by_owner], app.owner_id)
    return int(app.id)


async def create_app_token(
    ctx: Context, *, app_id: int, name: str, expires_in_days: int | None
) -> IssuedToken:
    app = await managed_app(ctx, app_id)
    name = check_name(name)
    days = DEFAULT_TOKEN_DAYS if expires_in_days is None else expires_in_days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidInput("expiresInDays", f"Tokens expire after 1 to {MAX_TOKEN_DAYS} days.")
    issued = await issue_token(app, name=name, days=days)
    forget(ctx.loaders[tokens_by_app], app.id)
    return issued


async def issue_token(app: App, *, name: str, days: int) -> IssuedToken:
    """Issue a token without asking who calls: for resolvers above and operators' CLI."""
    now = datetime.now(UTC)
    active = AppToken.filter(app_id=app.id, revoked_at=None, expires_at__gt=now)
    if await active.count() >= MAX_ACTIVE_TOKENS_PER_APP:
        raise Conflict(f"An app can have at most {MAX_ACTIVE_TOKENS_PER_APP} active tokens.")
    token = new_token(TokenKind.APP)
    record = await AppToken.create(
        app_id=app.id,
        name=name,
        token_hash=hash_token(token),
        hint=token_hint(token),
        expires_at=now + timedelta(days=days),
    )
    return IssuedToken(record=record, token=token)


async def revoke_app_token(ctx: Context, *, token_id: int) -> AppToken:
    token = await AppToken.filter(id=token_id).first()
    if token is None:
        raise NotFound("AppToken")
    await managed_app(ctx, token.app_id)  # NotFound when the caller may not manage it
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        await token.save(update_fields=["revoked_at", "updated_at"])
    return token


async def visible_apps(ctx: Context, ids: Sequence[int]) -> list[App | None]:
    """Apps their owner (in person, not through an app token) or an admin may see."""
    user = ctx.principal.user
    if user is None or ctx.principal.is_app:
        return [None] * len(ids)
    rows = await ctx.loaders[app_by_id].load_many(ids)
    return [
        row if row is not None and (row.owner_id == user.id or user.role is Role.ADMIN) else None
        for row in rows
    ]


async def visible_app_tokens(ctx: Context, ids: Sequence[int]) -> list[AppToken | None]:
    """Tokens of the apps the caller may see."""
    rows = await ctx.loaders[app_token_by_id].load_many(ids)
    apps = await visible_apps(ctx, [row.app_id for row in rows if row is not None])
    seen = {app.id for app in apps if app is not None}
    return [row if row is not None and row.app_id in seen else None for row in rows]
