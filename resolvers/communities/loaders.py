"""The communities domain's per-request loaders (see resolvers/loading.py).

Member counts are counted from the membership rows (one grouped query per page), so they
equal the rows by construction under any concurrency of joins and leaves; the (community,
status, id) index makes each an index range count.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count

from models.communities import Community, CommunityMember, CommunityPin, MemberStatus
from resolvers.loading import LoaderSpec, by_id

ViewerCommunity = tuple[int, int]  # (user id, community id)

community_by_id = by_id(Community)
membership_by_id = by_id(CommunityMember)


def active_now() -> Q:
    """Memberships that count as members: ACTIVE ones (a ban, even one that ran out, ended
    the membership: its member may join again)."""
    return Q(status=MemberStatus.ACTIVE)


async def _load_by_slug(slugs: list[str]) -> list[Community | None]:
    found = {row.slug: row for row in await Community.filter(slug__in=slugs)}
    return [found.get(slug) for slug in slugs]


async def _load_memberships(keys: list[ViewerCommunity]) -> list[CommunityMember | None]:
    by_user: defaultdict[int, list[int]] = defaultdict(list)
    for user_id, community_id in keys:
        by_user[user_id].append(community_id)
    found: dict[ViewerCommunity, CommunityMember] = {}
    for user_id, ids in by_user.items():  # one viewer per request, as a rule
        for row in await CommunityMember.filter(user_id=user_id, community_id__in=ids):
            found[(user_id, row.community_id)] = row
    return [found.get(key) for key in keys]


async def _count_members(community_ids: list[int]) -> list[int]:
    rows: list[dict[str, Any]] = await (
        CommunityMember.filter(active_now(), community_id__in=community_ids)
        .annotate(n=Count("id"))
        .group_by("community_id")
        .values("community_id", "n")
    )
    counts = {int(row["community_id"]): int(row["n"]) for row in rows}
    return [counts.get(community_id, 0) for community_id in community_ids]


async def _load_pins(community_ids: list[int]) -> list[list[CommunityPin]]:
    rows = await CommunityPin.filter(community_id__in=community_ids).order_by("-id")
    found: defaultdict[int, list[CommunityPin]] = defaultdict(list)
    for row in rows:
        found[row.community_id].append(row)
    return [found[community_id] for community_id in community_ids]


community_by_slug = LoaderSpec("Community.by_slug", _load_by_slug)
# The (user, community) membership row, whatever its status; None when there is none.
membership_of = LoaderSpec("CommunityMember.by_user", _load_memberships)
# How many members each community has now (ACTIVE memberships).
member_count = LoaderSpec("CommunityMember.count", _count_members)
# Each community's pins, most recent first.
pins_by_community = LoaderSpec("CommunityPin.by_community", _load_pins)
