"""What operators do from the command line: users and app tokens, without a GraphQL caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from models.accounts import Role, User
from models.apps import App, AppToken
from resolvers.accounts import (
    check_display_name,
    check_handle,
    check_password,
    hash_password,
    normalize_email,
)
from resolvers.apps import DEFAULT_TOKEN_DAYS, IssuedToken, check_scopes, insert_app, issue_token
from resolvers.errors import NotFound


@dataclass(frozen=True, slots=True)
class TokenRow:
    id: int
    app: str
    owner: str
    name: str
    hint: str
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


async def create_user(*, email: str, handle: str, password: str, role: Role) -> User:
    email = normalize_email(email)
    handle = check_handle(handle)
    check_password(password, field="password", email=email, handle=handle)
    return await User.create(
        email=email,
        handle=handle,
        display_name=check_display_name(handle),
        role=role,
        password_hash=await hash_password(password),
    )


async def create_token(
    *,
    owner_handle: str,
    app_name: str,
    scopes: list[str],
    name: str,
    days: int = DEFAULT_TOKEN_DAYS,
) -> IssuedToken:
    owner = await User.filter(handle=owner_handle).first()
    if owner is None:
        raise NotFound("User", f"No user with handle {owner_handle!r}.")
    app = await App.filter(owner_id=owner.id, name=app_name).first()
    if app is None:
        app = await insert_app(
            owner,
            name=app_name,
            description="Created from the command line.",
            scopes=check_scopes(owner, scopes),
        )
    return await issue_token(app, name=name, days=days)


async def list_tokens(owner_handle: str | None) -> list[TokenRow]:
    query = AppToken.all().select_related("app__owner").order_by("-id")
    if owner_handle:
        query = query.filter(app__owner__handle=owner_handle)
    return [
        TokenRow(
            id=t.id,
            app=t.app.name,
            owner=t.app.owner.handle,
            name=t.name,
            hint=t.hint,
            expires_at=t.expires_at,
            revoked_at=t.revoked_at,
            last_used_at=t.last_used_at,
        )
        for t in await query
    ]


async def revoke_token(token_id: int) -> bool:
    updated = await AppToken.filter(id=token_id, revoked_at=None).update(
        revoked_at=datetime.now(UTC)
    )
    return updated > 0
