"""Home feeds in Redis: one capped sorted set of post ids per user, a state key, and the
user's large followed sources.

Keys (all under one hash tag per user, so a pipeline stays in one slot on Redis Cluster):

- `feed:{home:<user>}`: sorted set, member the post id zero-padded to 19 digits (so Redis's
  order for equal scores, by member, is the order of ids), score the post's `published_at` in
  microseconds since the epoch (exact in a double until the year 2255). Page order is (score,
  id) descending, and a cursor is that pair, as PostgreSQL orders the same posts.
- `feed:{home:<user>}:state`: `ready` once the set was built from PostgreSQL (it may then be
  empty: a user who follows nobody), `building` while a request builds it. No state means the
  feed is missing (expired, flushed, never built): the next read rebuilds it. Fan-out writes
  only to users whose state exists, so inactive users cost nothing (Mastodon does the same).
- `feed:{home:<user>}:large`: the sources (users, topics) the user follows that have too many
  followers to be fanned out, as JSON; read-through, refreshed every LARGE_REFRESH_SECONDS.

Both the set and the state expire after FEED_TTL_SECONDS without a read.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from redis.asyncio import Redis

from models.social import FollowTargetKind
from storage.cache import Keys

Item = tuple[int, int]  # (score, post id)
Source = tuple[FollowTargetKind, int]

MEMBER_DIGITS = 19  # the widest BIGINT id
READY = "ready"
BUILDING = "building"
# A request building a feed finishes in well under this; a crashed one stops counting here.
BUILDING_SECONDS = 60
# How stale the list of a user's large followed sources may get: a source that crosses the
# threshold is merged into its followers' feeds within this long (nothing is lost meanwhile:
# the merge reads PostgreSQL).
LARGE_REFRESH_SECONDS = 300
PUSH_BATCH = 500


def _base(keys: Keys, user_id: int) -> str:
    return keys("feed", f"{{home:{user_id}}}")


def items_key(keys: Keys, user_id: int) -> str:
    return _base(keys, user_id)


def state_key(keys: Keys, user_id: int) -> str:
    return _base(keys, user_id) + ":state"


def large_key(keys: Keys, user_id: int) -> str:
    return _base(keys, user_id) + ":large"


def member(post_id: int) -> str:
    return f"{post_id:0{MEMBER_DIGITS}d}"


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _items(reply: Sequence[tuple[bytes | str, float]]) -> list[Item]:
    return [(int(score), int(_text(name) or 0)) for name, score in reply]


@dataclass(frozen=True, slots=True)
class Window:
    """What the user's set holds after a cursor: `items` newest first; `full` when the set is
    at its cap, so older posts may exist beyond it; `large` the cached large sources, None when
    they must be looked up again."""

    items: list[Item]
    full: bool
    large: list[Source] | None


async def read_window(
    redis: Redis,
    keys: Keys,
    user_id: int,
    after: Item | None,
    limit: int,
    *,
    max_items: int,
    ttl: int,
) -> Window | None:
    """Up to `limit` items after `after`, in one round trip; None when the feed is missing.
    A read keeps the feed alive for another `ttl` seconds."""
    items = items_key(keys, user_id)
    pipe = redis.pipeline(transaction=False)
    pipe.get(state_key(keys, user_id))
    pipe.get(large_key(keys, user_id))
    pipe.zcard(items)
    if after is None:
        pipe.zrevrangebyscore(items, "+inf", "-inf", start=0, num=limit, withscores=True)
    else:
        # The posts tied with the cursor's score (rarely more than itself), then the older ones.
        score, _ = after
        pipe.zrevrangebyscore(items, score, score, withscores=True)
        pipe.zrevrangebyscore(items, f"({score}", "-inf", start=0, num=limit, withscores=True)
    pipe.expire(items, ttl)
    pipe.expire(state_key(keys, user_id), ttl)
    state, large, size, *ranges = (await pipe.execute())[:-2]
    if _text(state) != READY:
        return None
    found: list[Item] = []
    if after is not None:
        found = [item for item in _items(ranges[0]) if item[1] < after[1]]
        ranges = ranges[1:]
    found.extend(_items(ranges[0]))
    return Window(found[:limit], int(size) >= max_items, _sources(_text(large)))


def _sources(raw: str | None) -> list[Source] | None:
    if raw is None:
        return None
    return [(FollowTargetKind(kind), int(pk)) for kind, pk in json.loads(raw)]


async def remember_large(redis: Redis, keys: Keys, user_id: int, sources: list[Source]) -> None:
    raw = json.dumps([[kind.value, pk] for kind, pk in sources])
    await redis.set(large_key(keys, user_id), raw, ex=LARGE_REFRESH_SECONDS)


async def begin_rebuild(redis: Redis, keys: Keys, user_id: int) -> None:
    """Empty the set and mark it being built: posts fanned out from now on land in it, so none
    published while PostgreSQL is read is lost."""
    pipe = redis.pipeline(transaction=True)
    pipe.delete(items_key(keys, user_id), large_key(keys, user_id))
    pipe.set(state_key(keys, user_id), BUILDING, ex=BUILDING_SECONDS)
    await pipe.execute()


async def finish_rebuild(
    redis: Redis, keys: Keys, user_id: int, found: Iterable[Item], *, max_items: int, ttl: int
) -> None:
    """Add what PostgreSQL gave (to whatever fan-out added meanwhile), trim, mark it ready."""
    items = items_key(keys, user_id)
    mapping = {member(post_id): score for score, post_id in found}
    pipe = redis.pipeline(transaction=True)
    if mapping:
        pipe.zadd(items, mapping)
    pipe.zremrangebyrank(items, 0, -(max_items + 1))
    pipe.expire(items, ttl)
    pipe.set(state_key(keys, user_id), READY, ex=ttl)
    await pipe.execute()


async def forget(redis: Redis, keys: Keys, user_id: int) -> None:
    """Drop the user's feed; the next read rebuilds it (after a follow or an unfollow)."""
    await redis.delete(items_key(keys, user_id), state_key(keys, user_id), large_key(keys, user_id))


async def remove(redis: Redis, keys: Keys, user_id: int, post_ids: Sequence[int]) -> None:
    """Drop posts found no longer visible, so later reads skip them for free."""
    if post_ids:
        await cast("Awaitable[int]", redis.zrem(items_key(keys, user_id), *map(member, post_ids)))


async def push(
    redis: Redis,
    keys: Keys,
    user_ids: Iterable[int],
    item: Item,
    *,
    max_items: int,
    ttl: int,
) -> int:
    """Add one post to the feeds of these users that exist; how many feeds got it."""
    score, post_id = item
    pushed = 0
    ids = list(user_ids)
    for start in range(0, len(ids), PUSH_BATCH):
        chunk = ids[start : start + PUSH_BATCH]
        probe = redis.pipeline(transaction=False)
        for user_id in chunk:
            probe.exists(state_key(keys, user_id))
        alive = [u for u, found in zip(chunk, await probe.execute(), strict=True) if found]
        if not alive:
            continue
        write = redis.pipeline(transaction=False)
        for user_id in alive:
            items = items_key(keys, user_id)
            write.zadd(items, {member(post_id): score})
            write.zremrangebyrank(items, 0, -(max_items + 1))
            # A set deleted under a live state (evicted) comes back with no expiry otherwise.
            write.expire(items, ttl, nx=True)
        replies: list[Any] = await write.execute()
        pushed += len(replies) // 3
    return pushed
