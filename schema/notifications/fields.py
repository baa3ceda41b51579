"""User.notifications and User.unreadNotificationCount (schema/accounts.py calls these lazily:
this package imports that module)."""

from __future__ import annotations

from resolvers import notifications
from schema.base import Info
from schema.notifications.types import Notification
from schema.pagination import Connection, page_args, to_connection

PageArguments = tuple[int | None, str | None, int | None, str | None]


async def page(
    info: Info, user_id: int, paging: PageArguments, unread_only: bool
) -> Connection[Notification] | None:
    found = await notifications.notifications_page(
        info.context, user_id, page_args(*paging), unread_only=unread_only
    )
    return None if found is None else to_connection(found, Notification.from_model)


async def unread(info: Info, user_id: int) -> int | None:
    return await notifications.unread_count(info.context, user_id)
