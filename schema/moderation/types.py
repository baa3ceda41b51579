"""The moderation queue's types: ModerationItem (a reported target), its reports and log,
the union of what can be reported, and the enums."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

import strawberry
from strawberry import relay

from models.moderation import ModerationActionKind as ModerationActionKindModel
from models.moderation import ModerationItem as ModerationItemModel
from models.moderation import ModerationLogEntry as ModerationLogEntryModel
from models.moderation import Report as ReportModel
from models.moderation import ReportStatus as ReportStatusModel
from models.moderation import ReportTargetKind as ReportTargetKindModel
from resolvers import moderation
from resolvers.errors import InvalidInput
from resolvers.moderation.loaders import log_by_item, reports_by_item
from schema.accounts import User
from schema.base import Info, describe_values, parse_global_id
from schema.comments import Comment
from schema.communities import Community
from schema.content import Post, Tutorial
from schema.nodes import VisibleNode, build_each
from schema.reviews import Review

LATEST_REPORTS = 5

ReportTargetKind = strawberry.enum(
    ReportTargetKindModel,
    name="ReportTargetKind",
    description="The kinds of things that can be reported and moderated.",
)
describe_values(
    ReportTargetKind,
    {
        "REVIEW": "A product review.",
        "POST": "A post.",
        "TUTORIAL": "A tutorial.",
        "COMMENT": "A comment or reply.",
        "COMMUNITY": "A community (site staff moderate these).",
    },
)
ReportStatus = strawberry.enum(
    ReportStatusModel,
    name="ReportStatus",
    description="Where a report, or a queue item, stands.",
)
describe_values(
    ReportStatus,
    {
        "OPEN": "Waiting for a moderator.",
        "ACTIONED": "A moderator hid the target.",
        "DISMISSED": "Closed without hiding the target (dismissed, or the target restored).",
    },
)
ModerationAction = strawberry.enum(
    ModerationActionKindModel,
    name="ModerationAction",
    description="What a moderator does to a target.",
)
describe_values(
    ModerationAction,
    {
        "HIDE": "Hide it from everyone but its author and moderators; closes its open reports "
        "as ACTIONED.",
        "RESTORE": "Show it again; closes its open reports as DISMISSED.",
        "DISMISS": "Leave it as it is; closes its open reports as DISMISSED.",
    },
)

ModerationTarget = Annotated[
    Review | Post | Tutorial | Comment | Community,
    strawberry.union(
        "ModerationTarget",
        description="What can be reported: a review, post, tutorial, comment or community.",
    ),
]

KINDS = {
    "Review": ReportTargetKindModel.REVIEW,
    "Post": ReportTargetKindModel.POST,
    "Tutorial": ReportTargetKindModel.TUTORIAL,
    "Comment": ReportTargetKindModel.COMMENT,
    "Community": ReportTargetKindModel.COMMUNITY,
}
_BUILD: dict[ReportTargetKindModel, Any] = {
    ReportTargetKindModel.REVIEW: Review.from_model,
    ReportTargetKindModel.POST: Post.from_model,
    ReportTargetKindModel.TUTORIAL: Tutorial.from_model,
    ReportTargetKindModel.COMMENT: Comment.from_model,
    ReportTargetKindModel.COMMUNITY: Community.from_model,
}


def report_target_id(value: str) -> tuple[ReportTargetKindModel, int]:
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] not in KINDS:
        raise InvalidInput(
            "targetId",
            "`targetId` must be the id of a Review, Post, Tutorial, Comment or Community.",
        )
    return KINDS[parsed[0]], parsed[1]


def build_target(target: moderation.Target) -> Any:
    """The GraphQL object of a target (a member of ModerationTarget)."""
    return _BUILD[target.kind](target.row)


@strawberry.type(description="One person's report of something, with their reason.")
class Report:
    reason: str = strawberry.field(description="Why they reported it, in their words.")
    status: ReportStatus = strawberry.field(  # type: ignore[valid-type]
        description="OPEN until a moderator acts on the target."
    )
    created_at: datetime = strawberry.field(description="When it was reported.")
    row: strawberry.Private[ReportModel]

    @classmethod
    def from_model(cls, row: ReportModel) -> Self:
        return cls(reason=row.reason, status=row.status, created_at=row.created_at, row=row)

    @strawberry.field(description="Who reported it.")
    async def reporter(self, info: Info) -> User | None:
        return await User.related(info, self.row.reporter_id)


@strawberry.type(description="What a moderator did to a target, and why.")
class ModerationLogEntry:
    action: ModerationAction = strawberry.field(  # type: ignore[valid-type]
        description="HIDE, RESTORE or DISMISS."
    )
    note: str = strawberry.field(description="The moderator's note; empty if none.")
    reports_closed: int = strawberry.field(description="How many open reports it closed.")
    created_at: datetime = strawberry.field(description="When.")
    row: strawberry.Private[ModerationLogEntryModel]

    @classmethod
    def from_model(cls, row: ModerationLogEntryModel) -> Self:
        return cls(
            action=row.action,
            note=row.note,
            reports_closed=row.reports_closed,
            created_at=row.created_at,
            row=row,
        )

    @strawberry.field(description="The moderator who did it.")
    async def moderator(self, info: Info) -> User | None:
        return await User.related(info, self.row.moderator_id)


@strawberry.type(
    description="A reported target in the moderation queue: every report of it counted, the "
    "latest reasons, and what moderators did. Site staff see every item, a community's "
    "moderators those of its posts and their comments."
)
class ModerationItem(VisibleNode):
    id: relay.NodeID[int]
    target_kind: ReportTargetKind = strawberry.field(  # type: ignore[valid-type]
        description="What kind of thing was reported."
    )
    status: ReportStatus = strawberry.field(  # type: ignore[valid-type]
        description="OPEN while it has open reports, else how the last ones were closed."
    )
    report_count: int = strawberry.field(description="Every report of it, open or closed.")
    open_report_count: int = strawberry.field(description="Its reports still OPEN.")
    last_reported_at: datetime | None = strawberry.field(description="Its latest report's time.")
    row: strawberry.Private[ModerationItemModel]

    @classmethod
    def from_model(cls, row: ModerationItemModel) -> Self:
        return cls(
            id=row.id,
            target_kind=row.target_kind,
            status=row.status,
            report_count=row.report_count,
            open_report_count=row.open_report_count,
            last_reported_at=row.last_reported_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        rows = await moderation.visible_moderation_items(info.context, ids)
        return build_each(rows, cls.from_model)

    @strawberry.field(
        description="The reported object (hidden or not); null if it is gone or you may no "
        "longer see it (its author made it a draft, say)."
    )
    async def target(self, info: Info) -> ModerationTarget | None:
        key = (self.row.target_kind, self.row.target_id)
        [found] = await moderation.load_targets(info.context, [key])
        return None if found is None else build_target(found)

    @strawberry.field(description="Whether a moderator hid the target; null if it is gone.")
    async def target_hidden(self, info: Info) -> bool | None:
        key = (self.row.target_kind, self.row.target_id)
        [found] = await moderation.load_targets(info.context, [key])
        return None if found is None else found.hidden

    @strawberry.field(
        description="The community it lies in (a post in it, or a comment on such a post); "
        "null otherwise."
    )
    async def community(self, info: Info) -> Community | None:
        if self.row.community_id is None:
            return None
        return await Community.load_one(info, self.row.community_id)

    @strawberry.field(description=f"Its latest reports, newest first (at most {LATEST_REPORTS}).")
    async def latest_reports(self, info: Info) -> list[Report]:
        rows = await info.context.loaders[reports_by_item].load(self.row.id)
        return [Report.from_model(row) for row in rows[:LATEST_REPORTS]]

    @strawberry.field(description="What moderators did to it, newest first.")
    async def log(self, info: Info) -> list[ModerationLogEntry]:
        rows = await info.context.loaders[log_by_item].load(self.row.id)
        return [ModerationLogEntry.from_model(row) for row in rows]
