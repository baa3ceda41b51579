"""What the notification mutations return."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import ValidationError
from schema.notifications.types import Notification


@strawberry.type(description="These notifications of yours are read now.")
class MarkNotificationsReadSuccess:
    notifications: list[Notification] = strawberry.field(
        description="The ones that are yours, in the order asked (others' ids and unknown ids "
        "are left out)."
    )
    unread_count: int = strawberry.field(description="How many of yours are still unread.")


@strawberry.type(description="All your notifications are read now.")
class MarkAllNotificationsReadSuccess:
    marked: int = strawberry.field(description="How many were unread before.")


MarkNotificationsReadPayload = Annotated[
    MarkNotificationsReadSuccess | ValidationError,
    strawberry.union(
        "MarkNotificationsReadPayload", description="The notifications marked read, or why not."
    ),
]
MarkAllNotificationsReadPayload = Annotated[
    MarkAllNotificationsReadSuccess | ValidationError,
    strawberry.union(
        "MarkAllNotificationsReadPayload", description="How many were marked read, or why not."
    ),
]
