"""The viewer's notifications: their page, the unread count, marking read, and visibility.

Only the recipient ever sees a notification: in person, or through their app holding
read:content (marking read needs write:content). Nobody else does, admins included: it is
the recipient's inbox, not content.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from models.accounts import User
from models.notifications import Notification
from resolvers.auth import require_scope
from resolvers.errors import InvalidInput
from resolvers.pagination import Page, PageArgs, paginate_query
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

MAX_MARK = 100


def _reader(ctx: Context, user_id: int | None = None) -> User | None:
    """The caller when they may read their own notifications (and are `user_id`, if given)."""
    user = ctx.principal.user
    if user is None or (user_id is not None and user.id != user_id):
        return None
    if ctx.principal.is_app and Scope.READ_CONTENT not in ctx.principal.scopes:
        return None
    return user


async def notifications_page(
    ctx: Context, user_id: int, args: PageArgs, *, unread_only: bool
) -> Page[Notification] | None:
    """A user's notifications, newest first; None unless the caller is that user."""
    if _reader(ctx, user_id) is None:
        return None
    rows = Notification.filter(recipient_id=user_id)
    if unread_only:
        rows = rows.filter(read_at=None)
    return await paginate_query(rows, args)


async def unread_count(ctx: Context, user_id: int) -> int | None:
    if _reader(ctx, user_id) is None:
        return None
    return await Notification.filter(recipient_id=user_id, read_at=None).count()


async def visible_notifications(ctx: Context, ids: Sequence[int]) -> list[Notification | None]:
    user = _reader(ctx)
    if user is None or not ids:
        return [None] * len(ids)
    rows = {
        row.id: row for row in await Notification.filter(id__in=list(ids), recipient_id=user.id)
    }
    return [rows.get(pk) for pk in ids]


async def mark_read(ctx: Context, ids: Sequence[int]) -> list[Notification]:
    """Mark these of the viewer's notifications read; ids of others' are ignored, as if
    they did not exist (they are not the viewer's to know about). Returns the viewer's ones."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    if len(ids) > MAX_MARK:
        raise InvalidInput("ids", f"Mark at most {MAX_MARK} notifications at once.")
    mine = Notification.filter(id__in=list(ids), recipient_id=user.id)
    await mine.filter(read_at=None).update(read_at=datetime.now(UTC))
    found = {row.id: row for row in await mine}
    return [found[pk] for pk in dict.fromkeys(ids) if pk in found]


async def mark_all_read(ctx: Context) -> int:
    """Mark every unread notification of the viewer read; how many were unread."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    return await Notification.filter(recipient_id=user.id, read_at=None).update(
        read_at=datetime.now(UTC)
    )
