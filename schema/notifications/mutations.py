"""markNotificationsRead and markAllNotificationsRead: only ever the viewer's own."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.notifications import Notification as NotificationModel
from resolvers import notifications
from resolvers.errors import InvalidInput
from schema.base import Info, parse_global_id
from schema.notifications.payloads import (
    MarkAllNotificationsReadPayload,
    MarkAllNotificationsReadSuccess,
    MarkNotificationsReadPayload,
    MarkNotificationsReadSuccess,
)
from schema.notifications.types import Notification


def _ids(values: list[strawberry.ID]) -> list[int]:
    if len(values) > notifications.MAX_MARK:
        raise InvalidInput("ids", f"Mark at most {notifications.MAX_MARK} notifications at once.")
    pks: list[int] = []
    for value in values:
        parsed = parse_global_id(value)
        if parsed is None or parsed[0] != "Notification":
            raise InvalidInput("ids", f"`ids`: {value!r} is not a Notification id.")
        pks.append(parsed[1])
    return pks


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(
        description="Mark some of your notifications read (at most 100 ids). Ids that are not "
        "yours are ignored, as if they did not exist. Apps need write:content."
    )
    async def mark_notifications_read(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="Notification ids, from `viewer.notifications`."),
        ],
    ) -> MarkNotificationsReadPayload | None:
        rows: list[NotificationModel] = await notifications.mark_read(info.context, _ids(ids))
        user = info.context.principal.user
        assert user is not None  # mark_read required it
        unread = await notifications.unread_count(info.context, user.id)
        return MarkNotificationsReadSuccess(
            notifications=[Notification.from_model(row) for row in rows],
            unread_count=unread or 0,
        )

    @strawberry.mutation(description="Mark all your notifications read. Apps need write:content.")
    async def mark_all_notifications_read(
        self, info: Info
    ) -> MarkAllNotificationsReadPayload | None:
        marked = await notifications.mark_all_read(info.context)
        return MarkAllNotificationsReadSuccess(marked=marked)
