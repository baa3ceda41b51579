"""The one moderation flow: HIDE, RESTORE or DISMISS, for every kind of target.

HIDE sets the target's moderation-hidden state (a review's HIDDEN status, else `hidden_at`
and `hidden_by_id`), apart from anything its author controls; RESTORE clears it; DISMISS
changes nothing on the target. Each closes the target's open reports (ACTIONED for HIDE,
DISMISSED otherwise), writes a moderation log row and records an outbox event, all in one
transaction with the change; the queue item is locked first, so a report arriving meanwhile
is either closed by this action or counted after it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from models.accounts import User
from models.comments import Comment
from models.communities import Community
from models.content import Post, Tutorial
from models.moderation import (
    ModerationActionKind,
    ModerationItem,
    ModerationLogEntry,
    Report,
    ReportStatus,
    ReportTargetKind,
)
from models.reviews import ReviewStatus
from resolvers import events
from resolvers.auth import require_user
from resolvers.comments.loaders import comment_by_id, comment_counts, reply_counts
from resolvers.communities.loaders import community_by_id
from resolvers.content import recount_community_topics, recount_post_topics
from resolvers.content.loaders import post_by_id, tutorial_by_id
from resolvers.errors import Forbidden, InvalidInput
from resolvers.loading import forget
from resolvers.moderation.access import can_moderate, moderator_in_person
from resolvers.moderation.loaders import item_by_id, log_by_item, reports_by_item
from resolvers.moderation.targets import RULES, Target, load_target
from resolvers.reviews import set_review_status

if TYPE_CHECKING:
    from resolvers.context import Context

NOTE_MAX = 500
HIDEABLE: dict[ReportTargetKind, type[Post] | type[Tutorial] | type[Comment] | type[Community]] = {
    ReportTargetKind.POST: Post,
    ReportTargetKind.TUTORIAL: Tutorial,
    ReportTargetKind.COMMENT: Comment,
    ReportTargetKind.COMMUNITY: Community,
}
EVENTS = {
    ModerationActionKind.HIDE: "content.hidden",
    ModerationActionKind.RESTORE: "content.restored",
    ModerationActionKind.DISMISS: "content.reports_dismissed",
}


def _check_note(note: str | None) -> str:
    text = " ".join((note or "").split())
    if len(text) > NOTE_MAX:
        raise InvalidInput("note", f"Keep the note to {NOTE_MAX} characters.")
    return text


async def moderate(
    ctx: Context,
    kind: ReportTargetKind,
    target_id: int,
    action: ModerationActionKind,
    note: str | None,
) -> tuple[Target, ModerationItem | None]:
    """Act on a target the caller moderates; the target afterwards and its queue item (None
    when nobody reported it)."""
    require_user(ctx)
    user = moderator_in_person(ctx)
    if user is None:
        raise Forbidden("Moderating needs the moderator's own session; apps cannot moderate.")
    text = _check_note(note)
    target = await load_target(ctx, kind, target_id)
    if not await can_moderate(ctx, user, target):
        raise Forbidden(
            "Only site moderators, and a community's moderators for its posts and their "
            "comments, can moderate this."
        )
    now = datetime.now(UTC)
    async with in_transaction():
        item = (
            await ModerationItem.filter(target_kind=kind, target_id=target_id)
            .select_for_update()
            .first()
        )
        await _apply(ctx, target, action, user, now)
        closed_as = (
            ReportStatus.ACTIONED
            if action is ModerationActionKind.HIDE
            else (ReportStatus.DISMISSED)
        )
        closed = await Report.filter(
            target_kind=kind, target_id=target_id, status=ReportStatus.OPEN
        ).update(status=closed_as, resolved_at=now)
        if item is not None:
            item.status = closed_as
            item.open_report_count = 0
            await item.save(update_fields=["status", "open_report_count", "updated_at"])
        await ModerationLogEntry.create(
            item_id=item.id if item is not None else None,
            target_kind=kind,
            target_id=target_id,
            moderator_id=user.id,
            action=action,
            note=text,
            reports_closed=closed,
        )
        type_name = RULES[kind][0]
        await events.record_event(
            EVENTS[action],
            {
                "target": {"__typename": type_name, "id": events.global_id(type_name, target_id)},
                "author": {"id": events.global_id("User", target.author_id)},
                "moderator": {"id": events.global_id("User", user.id)},
                "reportsClosed": closed,
            },
        )
    if item is not None:
        for loader in (item_by_id, reports_by_item, log_by_item):
            forget(ctx.loaders[loader], item.id)
    return await load_target(ctx, kind, target_id), item


async def _apply(
    ctx: Context, target: Target, action: ModerationActionKind, user: User, now: datetime
) -> None:
    if action is ModerationActionKind.DISMISS:
        return
    hide = action is ModerationActionKind.HIDE
    if target.kind is ReportTargetKind.REVIEW:
        status = ReviewStatus.HIDDEN if hide else ReviewStatus.PUBLISHED
        await set_review_status(ctx, target.row, status)
        return
    model = HIDEABLE[target.kind]
    await model.filter(id=target.row.id).update(
        hidden_at=now if hide else None, hidden_by_id=user.id if hide else None
    )
    # Topic counts are public: they count only posts everyone may read.
    if target.kind is ReportTargetKind.POST:
        await recount_post_topics(target.row.id)
    elif target.kind is ReportTargetKind.COMMUNITY:
        await recount_community_topics(target.row.id)
    _forget(ctx, target)


def _forget(ctx: Context, target: Target) -> None:
    """This request's answer (the target, its thread's counts) must show the change."""
    row = target.row
    if target.kind is ReportTargetKind.POST:
        forget(ctx.loaders[post_by_id], row.id)
    elif target.kind is ReportTargetKind.TUTORIAL:
        forget(ctx.loaders[tutorial_by_id], row.id)
    elif target.kind is ReportTargetKind.COMMUNITY:
        forget(ctx.loaders[community_by_id], row.id)
    else:
        forget(ctx.loaders[comment_by_id], row.id)
        forget(ctx.loaders[comment_counts], (row.target_kind, row.target_id))
        if row.parent_id is not None:
            forget(ctx.loaders[reply_counts], row.parent_id)
