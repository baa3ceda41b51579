"""Reporting a target: once per person and target, never one's own.

The target's queue item is created on its first report (INSERT ... ON CONFLICT DO NOTHING)
and locked for the rest of the transaction, so concurrent reports of one target queue up on
its row: each adds exactly one to its counts, and a person's second report, however
concurrent, finds the first (the unique (target, reporter) backs that up).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.moderation import ModerationItem, Report, ReportStatus, ReportTargetKind
from models.reviews import Review
from resolvers.auth import require_scope
from resolvers.errors import InvalidInput, PermissionDenied
from resolvers.loading import forget
from resolvers.moderation.errors import AlreadyReported
from resolvers.moderation.loaders import item_by_id
from resolvers.moderation.targets import RULES, load_target
from resolvers.principal import Scope
from resolvers.ratelimit import consume
from resolvers.reviews import forget_review

if TYPE_CHECKING:
    from resolvers.context import Context

REASON_MAX = 500


def check_reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not 1 <= len(text) <= REASON_MAX:
        raise InvalidInput("reason", f"Say why in 1-{REASON_MAX} characters.")
    return text


async def report(ctx: Context, kind: ReportTargetKind, target_id: int, reason: str) -> Report:
    """Report something the caller can see and did not write; apps need write:content."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    text = check_reason(reason)
    target = await load_target(ctx, kind, target_id)
    if target.author_id == user.id:
        raise PermissionDenied(f"You cannot report your own {RULES[kind][0].lower()}.")
    await consume(
        ctx,
        "report",
        str(user.id),
        limit=ctx.settings.reports_per_hour,
        window_seconds=3600,
        message="Too many reports in an hour. Try again later.",
    )
    now = datetime.now(UTC)
    try:
        async with in_transaction():
            await ModerationItem.bulk_create(
                [ModerationItem(target_kind=kind, target_id=target_id)], ignore_conflicts=True
            )
            item = (
                await ModerationItem.filter(target_kind=kind, target_id=target_id)
                .select_for_update()
                .get()
            )
            if await Report.exists(target_kind=kind, target_id=target_id, reporter_id=user.id):
                raise AlreadyReported()
            row = await Report.create(
                item_id=item.id,
                target_kind=kind,
                target_id=target_id,
                reporter_id=user.id,
                reason=text,
            )
            await ModerationItem.filter(id=item.id).update(
                status=ReportStatus.OPEN,
                community_id=target.community_id,
                report_count=F("report_count") + 1,
                open_report_count=F("open_report_count") + 1,
                last_reported_at=now,
            )
            if kind is ReportTargetKind.REVIEW:
                # The review's own count, which the deprecated `reportedReviews` sorts by.
                await Review.filter(id=target_id).update(report_count=F("report_count") + 1)
    except IntegrityError:
        raise AlreadyReported() from None
    if kind is ReportTargetKind.REVIEW:
        forget_review(ctx, target.row)
    forget(ctx.loaders[item_by_id], item.id)
    return row
