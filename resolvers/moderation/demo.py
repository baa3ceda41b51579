"""Demo reports, so the moderation queue shows something on first start: a community post
two members reported (teahouse moderates Tea Lovers, so it is in their queue as in mod_mia's)
and a comment outside any community (site staff only)."""

from __future__ import annotations

from datetime import UTC, datetime

from models.accounts import User
from models.comments import Comment, CommentTargetKind
from models.content import Post
from models.moderation import ModerationItem, Report, ReportTargetKind

# (kind, post title or comment's opening words) -> [(reporter, reason)]
DEMO_REPORTS: list[tuple[ReportTargetKind, str, list[tuple[str, str]]]] = [
    (
        ReportTargetKind.POST,
        "My first gongfu session",
        [
            ("shopper_2", "Looks like an ad for one shop's tea."),
            ("shopper_3", "Off-topic: a sales pitch, not a session."),
        ],
    ),
    (
        ReportTargetKind.COMMENT,
        "@chef_ana could you share",
        [("shopper_4", "Pestering the creator for free recipes.")],
    ),
]


async def seed_moderation_demo() -> None:
    """The demo reports; nothing when any report exists."""
    if await Report.exists():
        return
    users = {str(h): int(str(i)) for h, i in await User.all().values_list("handle", "id")}
    now = datetime.now(UTC)
    for kind, name, reports in DEMO_REPORTS:
        found = await _target(kind, name)
        if found is None:
            continue
        target_id, community_id = found
        reporters = [(users[h], reason) for h, reason in reports if h in users]
        item = await ModerationItem.create(
            target_kind=kind,
            target_id=target_id,
            community_id=community_id,
            report_count=len(reporters),
            open_report_count=len(reporters),
            last_reported_at=now,
        )
        await Report.bulk_create(
            [
                Report(
                    item_id=item.id,
                    target_kind=kind,
                    target_id=target_id,
                    reporter_id=user_id,
                    reason=reason,
                )
                for user_id, reason in reporters
            ]
        )


async def _target(kind: ReportTargetKind, name: str) -> tuple[int, int | None] | None:
    if kind is ReportTargetKind.POST:
        post = await Post.filter(title=name).first()
        return None if post is None else (post.id, post.community_id)
    comment = await Comment.filter(
        target_kind=CommentTargetKind.POST, body__startswith=name
    ).first()
    if comment is None:
        return None
    post = await Post.get_or_none(id=comment.target_id)
    return comment.id, post.community_id if post is not None else None
