"""The social domain's per-request loaders (see resolvers/loading.py).

Counts are counted from the follow rows (one grouped query per page and kind), so they equal
the rows by construction, under any concurrency; the (target_kind, target_id) index and the
unique (follower, kind, target) one make each an index-only count.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tortoise.functions import Count

from models.social import Follow, FollowTargetKind, ShareLink
from resolvers.loading import LoaderSpec, by_id
from resolvers.orders import AttributionTotals, share_code_totals

Target = tuple[FollowTargetKind, int]
ViewerTarget = tuple[int, FollowTargetKind, int]  # (viewer id, kind, target id)

share_link_by_id = by_id(ShareLink)


def _by_kind(keys: list[Target]) -> dict[FollowTargetKind, list[int]]:
    ids: defaultdict[FollowTargetKind, list[int]] = defaultdict(list)
    for kind, target_id in keys:
        ids[kind].append(target_id)
    return ids


async def _count_followers(keys: list[Target]) -> list[int]:
    counts: dict[Target, int] = {}
    for kind, ids in _by_kind(keys).items():
        rows: list[dict[str, Any]] = await (
            Follow.filter(target_kind=kind, target_id__in=ids)
            .annotate(n=Count("id"))
            .group_by("target_id")
            .values("target_id", "n")
        )
        counts.update({(kind, int(row["target_id"])): int(row["n"]) for row in rows})
    return [counts.get(key, 0) for key in keys]


async def _count_followed_users(user_ids: list[int]) -> list[int]:
    rows: list[dict[str, Any]] = await (
        Follow.filter(follower_id__in=user_ids, target_kind=FollowTargetKind.USER)
        .annotate(n=Count("id"))
        .group_by("follower_id")
        .values("follower_id", "n")
    )
    counts = {int(row["follower_id"]): int(row["n"]) for row in rows}
    return [counts.get(user_id, 0) for user_id in user_ids]


async def _viewer_follows(keys: list[ViewerTarget]) -> list[bool]:
    found: set[ViewerTarget] = set()
    by_viewer: defaultdict[int, list[Target]] = defaultdict(list)
    for viewer_id, kind, target_id in keys:
        by_viewer[viewer_id].append((kind, target_id))
    for viewer_id, targets in by_viewer.items():  # one viewer per request
        for kind, ids in _by_kind(targets).items():
            rows = Follow.filter(follower_id=viewer_id, target_kind=kind, target_id__in=ids)
            followed = await rows.values_list("target_id", flat=True)
            found.update((viewer_id, kind, int(str(target_id))) for target_id in followed)
    return [key in found for key in keys]


async def _share_totals(codes: list[str]) -> list[AttributionTotals]:
    return await share_code_totals(codes)


# How many follow each user or topic.
follower_count = LoaderSpec("Follow.count_by_target", _count_followers)
# How many users each user follows.
following_count = LoaderSpec("Follow.count_by_follower", _count_followed_users)
# Whether the viewer follows each target.
viewer_follows = LoaderSpec("Follow.by_viewer", _viewer_follows)
# Orders, units and GMV of each share code (paid, not refunded orders).
share_totals_by_code = LoaderSpec("ShareLink.totals", _share_totals)
