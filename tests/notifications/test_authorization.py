"""The authorization matrix of the notification mutations (tests/authz.py).

The owner is the world's buyer, who has an unread notification. Anyone signed in marks their
own notifications read (apps: write:content); the owner's ids in another caller's
markNotificationsRead are ignored, so other actors succeed and change nothing of the owner's.
"""

from __future__ import annotations

from typing import Any

from models.notifications import Notification, NotificationKind, NotificationTargetKind
from resolvers.principal import Scope
from schema.notifications import NotificationMutation
from tests.authz import Actor, Matrix, World, row
from tests.utils import gid

SIGNED_IN: list[Actor] = ["other_user", "other_merchant", "owner", "moderator", "admin"]


async def _scene(w: World) -> None:
    note = await Notification.create(
        recipient_id=w.buyer.user.id,
        kind=NotificationKind.NEW_FOLLOWER,
        target_kind=NotificationTargetKind.USER,
        target_id=w.buyer.user.id,
        group_key=f"new_follower:user:{w.buyer.user.id}",
        actor_count=1,
        recent_actor_ids=[w.seller.user.id],
    )
    w.scene["note"] = note


async def _snapshot(w: World) -> Any:
    """Which of the owner's notifications are read."""
    return await (
        Notification.filter(recipient_id=w.buyer.user.id)
        .order_by("id")
        .values_list("id", "read_at")
    )


WRITE: dict[str, Any] = {"scope": Scope.WRITE_CONTENT, "own_only": True}

MATRIX = Matrix(
    domain=[NotificationMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(
            "markNotificationsRead",
            "mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { __typename } }",
            lambda w: {"ids": [gid("Notification", w.scene["note"].id)]},
            allowed=SIGNED_IN,
            success="MarkNotificationsReadSuccess",
            **WRITE,
        ),
        row(
            "markAllNotificationsRead",
            "mutation { markAllNotificationsRead { __typename } }",
            allowed=SIGNED_IN,
            success="MarkAllNotificationsReadSuccess",
            **WRITE,
        ),
    ],
)
test_every_notification_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
