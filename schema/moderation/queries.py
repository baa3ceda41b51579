"""The moderation queue."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.moderation import ReportStatus as ReportStatusModel
from models.moderation import ReportTargetKind as ReportTargetKindModel
from resolvers import moderation
from schema.base import Info, decode_id
from schema.moderation.types import ModerationItem, ReportStatus, ReportTargetKind
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection


@strawberry.input(description="Which queue items to list.")
class ModerationQueueFilter:
    target_kinds: list[ReportTargetKind] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only these kinds of target; omit for all."
    )
    status: ReportStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=ReportStatusModel.OPEN,
        description="Only items in this status (OPEN by default); null for all.",
    )
    community: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only items in this community (a Community id), which you must moderate "
        "unless you are site staff.",
    )


@strawberry.type
class ModerationQuery:
    @strawberry.field(
        description="The moderation queue: reported targets (reviews, posts, tutorials, "
        "comments, communities), most reported first. Site moderators and admins see every "
        "item; a community's moderators, admins and owner the items of its posts and their "
        "comments (others: an empty queue). In person only, not through apps."
    )
    async def moderation_queue(
        self,
        info: Info,
        filter: Annotated[
            ModerationQueueFilter | None,
            strawberry.argument(description="Kinds, status and community; omit for OPEN items."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ModerationItem]:
        chosen = filter or ModerationQueueFilter()
        community = (
            None
            if chosen.community is None
            else decode_id(chosen.community, "Community", field="filter.community")
        )
        page = await moderation.moderation_queue(
            info.context,
            kinds=[ReportTargetKindModel(kind) for kind in chosen.target_kinds or []],
            status=None if chosen.status is None else ReportStatusModel(chosen.status),
            community_id=community,
            args=page_args(first, after, last, before),
        )
        return to_connection(page, ModerationItem.from_model)
