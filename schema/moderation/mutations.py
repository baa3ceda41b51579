"""The moderation mutations: report (anyone, anything they see) and moderate (one flow)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.moderation import ModerationActionKind
from resolvers import moderation
from schema.base import Info
from schema.moderation.payloads import (
    ModeratePayload,
    ModerateSuccess,
    ReportPayload,
    ReportSuccess,
)
from schema.moderation.types import (
    ModerationAction,
    ModerationItem,
    Report,
    build_target,
    report_target_id,
)

TargetId = Annotated[
    strawberry.ID,
    strawberry.argument(description="A Review, Post, Tutorial, Comment or Community id."),
]


@strawberry.type
class ModerationMutation:
    @strawberry.mutation(
        description="Report something you can see and did not write to its moderators, once "
        "(a second report is a ValidationError on `targetId`). Any signed-in user; apps need "
        "write:content. Each user may file REPORTS_PER_HOUR reports an hour (RATE_LIMITED "
        "past that)."
    )
    async def report(
        self,
        info: Info,
        target_id: TargetId,
        reason: Annotated[
            str,
            strawberry.argument(
                description=f"Why it breaks the rules, 1-{moderation.REASON_MAX} characters; "
                "moderators read it."
            ),
        ],
    ) -> ReportPayload | None:
        kind, pk = report_target_id(target_id)
        row = await moderation.report(info.context, kind, pk, reason)
        [target] = await moderation.load_targets(info.context, [(kind, pk)])
        return ReportSuccess(
            report=Report.from_model(row),
            target=None if target is None else build_target(target),
        )

    @strawberry.mutation(
        description="Hide, restore, or dismiss the reports of, a review, post, tutorial, "
        "comment or community: one flow for all. Closes the target's open reports and logs "
        "the action. Site moderators and admins, in person, everything; a community's "
        "moderators, admins and owner the posts in it and the comments on them (FORBIDDEN "
        "elsewhere)."
    )
    async def moderate(
        self,
        info: Info,
        target_id: TargetId,
        action: Annotated[
            ModerationAction,  # type: ignore[valid-type]
            strawberry.argument(description="HIDE, RESTORE or DISMISS."),
        ],
        note: Annotated[
            str | None,
            strawberry.argument(
                description="Why, for the moderation log (at most 500 characters)."
            ),
        ] = None,
    ) -> ModeratePayload | None:
        kind, pk = report_target_id(target_id)
        target, item = await moderation.moderate(
            info.context, kind, pk, ModerationActionKind(action), note
        )
        return ModerateSuccess(
            target=build_target(target),
            hidden=target.hidden,
            item=None if item is None else await ModerationItem.load_one(info, item.id),
        )
