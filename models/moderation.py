"""Moderation: reports of reviews, posts, tutorials, comments and communities, one queue of
reported targets, and the log of what moderators did.

One `reports` table for every kind of target, keyed by (kind, id) as comments and follows are:
the queue asks "what is reported, most first", whatever the kind. A report is one person's
word about one target, once (unique per target and reporter). Its target's
`moderation_items` row gathers the reports: one row per reported target, carrying the counts
the queue sorts by and the community it lies in (for community moderators), so the queue is
one index scan. Counts change with F-expressions in the transaction that inserts the report,
so they equal the rows under any concurrency.

Hiding is not stored here: each domain keeps it on its own rows (`hidden_at` on posts,
tutorials, comments and communities; a review's HIDDEN status), so its visibility rule sees it
without asking this domain.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User


class ReportTargetKind(StrEnum):
    REVIEW = "review"
    POST = "post"
    TUTORIAL = "tutorial"
    COMMENT = "comment"
    COMMUNITY = "community"


class ReportStatus(StrEnum):
    OPEN = "open"  # waiting for a moderator
    ACTIONED = "actioned"  # the target was hidden
    DISMISSED = "dismissed"  # closed without action (or the target was restored)


class ModerationActionKind(StrEnum):
    HIDE = "hide"
    RESTORE = "restore"
    DISMISS = "dismiss"


class ModerationItem(TimestampedModel):
    """A reported target in the queue: its counts and where it stands."""

    id = fields.BigIntField(primary_key=True)
    target_kind = fields.CharEnumField(ReportTargetKind, max_length=12)
    target_id = fields.BigIntField()
    # The community the target lies in (a post in it, a comment on such a post): its
    # moderators see and act on the item. Null for everything only staff handle.
    community_id = fields.BigIntField(null=True)
    # OPEN while it has open reports, else how the last of them was closed.
    status = fields.CharEnumField(ReportStatus, max_length=10, default=ReportStatus.OPEN)
    report_count = fields.IntField(default=0)  # every report, open or closed
    open_report_count = fields.IntField(default=0)
    last_reported_at = fields.DatetimeField(null=True)

    class Meta:
        table = "moderation_items"
        unique_together = (("target_kind", "target_id"),)
        indexes = (
            # The queue: by status, most reported first.
            ("status", "report_count", "id"),
            # A community moderator's queue.
            ("community_id", "status", "report_count", "id"),
        )


class Report(TimestampedModel):
    """One user's report of one target, with their reason."""

    id = fields.BigIntField(primary_key=True)
    item: fields.ForeignKeyRelation[ModerationItem] = fields.ForeignKeyField(
        "models.ModerationItem", related_name="reports", on_delete=fields.OnDelete.CASCADE
    )
    target_kind = fields.CharEnumField(ReportTargetKind, max_length=12)
    target_id = fields.BigIntField()
    reporter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reports", on_delete=fields.OnDelete.CASCADE
    )
    reason = fields.CharField(max_length=500)
    status = fields.CharEnumField(ReportStatus, max_length=10, default=ReportStatus.OPEN)
    resolved_at = fields.DatetimeField(null=True)

    item_id: int
    reporter_id: int

    class Meta:
        table = "reports"
        unique_together = (("target_kind", "target_id", "reporter"),)
        # An item's reports, newest first.
        indexes = (("item_id", "id"),)


class ModerationLogEntry(Model):
    """What a moderator did to a target, and why: never edited, never deleted."""

    id = fields.BigIntField(primary_key=True)
    item: fields.ForeignKeyNullableRelation[ModerationItem] = fields.ForeignKeyField(
        "models.ModerationItem",
        null=True,
        related_name="log_entries",
        on_delete=fields.OnDelete.SET_NULL,
    )
    target_kind = fields.CharEnumField(ReportTargetKind, max_length=12)
    target_id = fields.BigIntField()
    moderator: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="moderation_log", on_delete=fields.OnDelete.CASCADE
    )
    action = fields.CharEnumField(ModerationActionKind, max_length=10)
    note = fields.CharField(max_length=500, default="")
    reports_closed = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    item_id: int | None
    moderator_id: int

    class Meta:
        table = "moderation_log"
        indexes = (("target_kind", "target_id", "id"),)
