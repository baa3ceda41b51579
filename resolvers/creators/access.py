"""Who sees and decides verification applications.

An application is its applicant's and the admins' alone (apps need read:content to read their
owner's). Only admins decide, in person: an app never approves, rejects or revokes a badge,
whatever its scopes, and moderators do not either (the badge is a platform decision).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from models.accounts import Role, User
from models.creators import VerificationApplication
from resolvers.auth import require_role
from resolvers.creators.loaders import application_by_id
from resolvers.errors import NotFound
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


def _reader(ctx: Context) -> User | None:
    """The user whose private view applies; apps need read:content for it."""
    user = ctx.principal.user
    if user is None or (ctx.principal.is_app and Scope.READ_CONTENT not in ctx.principal.scopes):
        return None
    return user


def can_see_applications(ctx: Context, user_id: int) -> bool:
    """The applicant themself and admins."""
    reader = _reader(ctx)
    return reader is not None and (reader.id == user_id or reader.role is Role.ADMIN)


async def visible_verification_applications(
    ctx: Context, ids: Sequence[int]
) -> list[VerificationApplication | None]:
    rows = await ctx.loaders[application_by_id].load_many(ids)
    return [
        row if row is not None and can_see_applications(ctx, row.user_id) else None for row in rows
    ]


def require_decider(ctx: Context) -> User:
    """An admin in person (require_role refuses apps)."""
    return require_role(ctx, Role.ADMIN)


async def target_application(ctx: Context, application_id: int) -> VerificationApplication:
    row = await ctx.loaders[application_by_id].load(application_id)
    if row is None:
        raise NotFound("VerificationApplication")
    return row
