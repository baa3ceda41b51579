"""The reactions domain's per-request loaders (see resolvers/loading.py).

Counts are counted from the reaction rows: one grouped, index-only query per page and target
kind gives both the likes and the saves of every target on it, so they equal the rows by
construction. The viewer's own reactions are one query per page and kind too.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tortoise.functions import Count

from models.reactions import Reaction, ReactionKind, ReactionTargetKind
from resolvers.loading import LoaderSpec

Target = tuple[ReactionTargetKind, int]
ViewerTarget = tuple[int, ReactionTargetKind, int]  # (viewer id, kind, target id)
Counts = dict[ReactionKind, int]


def _by_kind(keys: list[Target]) -> dict[ReactionTargetKind, list[int]]:
    ids: defaultdict[ReactionTargetKind, list[int]] = defaultdict(list)
    for kind, target_id in keys:
        ids[kind].append(target_id)
    return ids


async def _count(keys: list[Target]) -> list[Counts]:
    counts: defaultdict[Target, Counts] = defaultdict(dict)
    for target_kind, ids in _by_kind(keys).items():
        rows: list[dict[str, Any]] = await (
            Reaction.filter(target_kind=target_kind, target_id__in=ids)
            .annotate(n=Count("id"))
            .group_by("target_id", "kind")
            .values("target_id", "kind", "n")
        )
        for row in rows:
            key = (target_kind, int(row["target_id"]))
            counts[key][ReactionKind(row["kind"])] = int(row["n"])
    return [counts.get(key, {}) for key in keys]


async def _viewer_reactions(keys: list[ViewerTarget]) -> list[frozenset[ReactionKind]]:
    found: defaultdict[ViewerTarget, set[ReactionKind]] = defaultdict(set)
    by_viewer: defaultdict[int, list[Target]] = defaultdict(list)
    for viewer_id, kind, target_id in keys:
        by_viewer[viewer_id].append((kind, target_id))
    for viewer_id, targets in by_viewer.items():  # one viewer per request
        for target_kind, ids in _by_kind(targets).items():
            rows = await Reaction.filter(
                user_id=viewer_id, target_kind=target_kind, target_id__in=ids
            ).values_list("target_id", "kind")
            for target_id, kind in rows:
                found[(viewer_id, target_kind, int(str(target_id)))].add(ReactionKind(str(kind)))
    return [frozenset(found.get(key, ())) for key in keys]


# Likes and saves of each post or tutorial.
reaction_counts = LoaderSpec("Reaction.count_by_target", _count)
# The viewer's own reactions (LIKE, SAVE) to each target.
viewer_reactions = LoaderSpec("Reaction.by_viewer", _viewer_reactions)
