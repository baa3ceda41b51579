"""The moderation queue: reported targets, most reported first, one index scan a page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from models.moderation import ModerationItem, ReportStatus, ReportTargetKind
from resolvers.auth import require_user
from resolvers.communities import moderated_communities_q, moderated_community_ids
from resolvers.errors import Forbidden
from resolvers.moderation.access import is_site_staff, moderator_in_person
from resolvers.pagination import PageArgs, SortedPage, SortKey, paginate_sorted

if TYPE_CHECKING:
    from resolvers.context import Context

QUEUE_ORDER = SortKey("report_count")


async def moderation_queue(
    ctx: Context,
    *,
    kinds: Sequence[ReportTargetKind],
    status: ReportStatus | None,
    community_id: int | None,
    args: PageArgs,
) -> SortedPage[ModerationItem]:
    """Staff see every item; anyone else the items of the communities they moderate (none:
    an empty queue). `community_id` narrows it to one community, which non-staff must
    moderate."""
    require_user(ctx)
    user = moderator_in_person(ctx)
    if user is None:
        raise Forbidden("The moderation queue needs the moderator's own session, not an app.")
    query = ModerationItem.all()
    if status is not None:
        query = query.filter(status=status)
    if kinds:
        query = query.filter(target_kind__in=list(kinds))
    if community_id is not None:
        if not is_site_staff(user) and not await moderated_community_ids(ctx, [community_id]):
            raise Forbidden("You do not moderate that community.")
        query = query.filter(community_id=community_id)
    elif not is_site_staff(user):
        query = query.filter(moderated_communities_q(user))
    return await paginate_sorted(query, args, QUEUE_ORDER)
