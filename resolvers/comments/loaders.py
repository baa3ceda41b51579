"""The comments domain's per-request loaders (see resolvers/loading.py).

Counts are counted from the comment rows, grouped, one statement per page (and kind of
target), so they equal the rows under any concurrency. The first page of many threads at once
(the top-level comments of a page of posts, the replies of a page of comments) is one
statement too: a window function numbers each thread's rows and keeps the first `size + 1`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count

from models.accounts import User
from models.comments import Comment, CommentMention, CommentTargetKind
from resolvers.loading import LoaderSpec, by_id

comment_by_id = by_id(Comment)

Target = tuple[CommentTargetKind, int]


@dataclass(frozen=True, slots=True)
class TargetCounts:
    live: int  # comments not deleted, replies included: what `commentCount` says
    top_level: int  # top-level comments, deleted ones (kept for their replies) included


@dataclass(frozen=True, slots=True)
class ReplyCounts:
    live: int  # direct replies not deleted: what `replyCount` says
    listed: int  # direct replies, deleted ones included: what the replies connection lists


@dataclass(frozen=True, slots=True)
class FirstPage:
    """The first `size` comments of one thread: the top-level comments of a target (`kind`
    set) or the replies of comment `scope_id` (`kind` None)."""

    kind: CommentTargetKind | None
    scope_id: int
    size: int
    newest_first: bool


_LIVE = Q(deleted_at__isnull=True)
# A comment a moderator hid is out of its thread and its counts, for everyone.
_SHOWN = Q(hidden_at__isnull=True)


async def _count_targets(keys: list[Target]) -> list[TargetCounts]:
    ids: defaultdict[CommentTargetKind, list[int]] = defaultdict(list)
    for kind, target_id in keys:
        ids[kind].append(target_id)
    found: dict[Target, TargetCounts] = {}
    for kind, target_ids in ids.items():
        rows: list[dict[str, Any]] = await (
            Comment.filter(_SHOWN, target_kind=kind, target_id__in=target_ids)
            .annotate(
                live=Count("id", _filter=_LIVE),
                top_level=Count("id", _filter=Q(parent_id__isnull=True)),
            )
            .group_by("target_id")
            .values("target_id", "live", "top_level")
        )
        for row in rows:
            key = (kind, int(row["target_id"]))
            found[key] = TargetCounts(int(row["live"]), int(row["top_level"]))
    return [found.get(key, TargetCounts(0, 0)) for key in keys]


async def _count_replies(parent_ids: list[int]) -> list[ReplyCounts]:
    rows: list[dict[str, Any]] = await (
        Comment.filter(_SHOWN, parent_id__in=parent_ids)
        .annotate(live=Count("id", _filter=_LIVE), listed=Count("id"))
        .group_by("parent_id")
        .values("parent_id", "live", "listed")
    )
    found = {
        int(row["parent_id"]): ReplyCounts(int(row["live"]), int(row["listed"])) for row in rows
    }
    return [found.get(parent_id, ReplyCounts(0, 0)) for parent_id in parent_ids]


def _first_pages_sql(group: tuple[CommentTargetKind | None, int, bool], ids: list[int]) -> str:
    kind, size, newest_first = group
    listed = ", ".join(str(int(i)) for i in sorted(set(ids)))  # ints only: nothing to escape
    if kind is None:
        partition, where = "parent_id", f"parent_id IN ({listed})"
    else:
        # An enum member's own value (a-z), never the caller's text.
        partition = "target_id"
        where = f"target_kind = '{kind.value}' AND target_id IN ({listed}) AND parent_id IS NULL"
    order = "id DESC" if newest_first else "id"
    return (
        "SELECT * FROM comments WHERE id IN (SELECT id FROM ("
        f"SELECT id, ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY {order}) AS n "
        f"FROM comments WHERE {where} AND hidden_at IS NULL) AS numbered "
        f"WHERE n <= {int(size) + 1})"
    )


async def _first_pages(keys: list[FirstPage]) -> list[list[Comment]]:
    """Each thread's first `size + 1` rows in page order (one more tells a next page)."""
    groups: defaultdict[tuple[CommentTargetKind | None, int, bool], list[int]] = defaultdict(list)
    for key in keys:
        groups[(key.kind, key.size, key.newest_first)].append(key.scope_id)
    found: dict[FirstPage, list[Comment]] = defaultdict(list)
    for group, ids in groups.items():
        kind, size, newest_first = group
        rows: list[Comment] = await Comment.raw(_first_pages_sql(group, ids))
        for row in sorted(rows, key=lambda r: r.id, reverse=newest_first):
            scope = row.target_id if kind is not None else row.parent_id
            assert scope is not None
            found[FirstPage(kind, scope, size, newest_first)].append(row)
    return [found.get(key, []) for key in keys]


async def _mentioned(comment_ids: list[int]) -> list[list[User]]:
    # The users joined in: a page of comments costs one statement for its mentions, users
    # included (reading.mentioned_users primes the user loader with them).
    rows = (
        await CommentMention.filter(comment_id__in=comment_ids)
        .select_related("user")
        .order_by("comment_id", "position", "id")
    )
    found: defaultdict[int, list[User]] = defaultdict(list)
    for row in rows:
        found[row.comment_id].append(row.user)
    return [found[comment_id] for comment_id in comment_ids]


# Each target's comment counts.
comment_counts = LoaderSpec("Comment.count_by_target", _count_targets)
# Each comment's reply counts.
reply_counts = LoaderSpec("Comment.count_by_parent", _count_replies)
# The first page of many threads, one statement per page size and order.
first_pages = LoaderSpec("Comment.first_pages", _first_pages)
# The users each comment mentions, in the order its body names them (any state).
mentioned_users = LoaderSpec("CommentMention.by_comment", _mentioned)
