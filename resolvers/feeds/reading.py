"""Reading feeds: the signed-in user's home feed, and a topic's feed.

A page is found as (score, post id) items, then hydrated through the request's loaders (one
statement for the posts, one for their authors, whatever the page size) and checked again:
a post archived, unpublished or deleted since, or whose author was deactivated, is skipped.

The home feed's items come from the user's Redis set (fan-out on write), merged with what
the large sources they follow published (read from PostgreSQL: Twitter's merge on read). A
missing set is rebuilt from PostgreSQL first; a page past the set's cap, and every page while
Redis is unreachable, is read from PostgreSQL alone. Cursors are (score, id) pairs, so pages
stay exact while posts arrive.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from models.content import Post, PostStatus
from resolvers.accounts import user_by_id
from resolvers.auth import require_scope
from resolvers.content import topic_with_slug, visible_posts
from resolvers.feeds import sources, store
from resolvers.feeds.store import Item
from resolvers.pagination import (
    Page,
    PageArgs,
    SortKey,
    check_page_args,
    decode_sort_cursor,
    encode_sort_cursor,
)
from resolvers.principal import Scope
from storage.cache import RedisSkipped
from storage.logthrottle import LogThrottle

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)
_unavailable = LogThrottle(log)

SCORE = SortKey("published_at")  # what a feed cursor holds: (score, post id)
# Rounds of reading items when skipped ones leave a page short; the first almost always fills it.
MAX_ROUNDS = 3

Window = Callable[[Item | None, int], Awaitable[list[Item]]]


@dataclass(frozen=True, slots=True)
class FeedPage(Page[Post]):
    scores: dict[int, int] = field(default_factory=dict)

    def cursor(self, row: Post) -> str:
        return encode_sort_cursor(self.scores[row.id], row.id)


def _position(args: PageArgs) -> tuple[int, Item | None]:
    size, _ = check_page_args(args)
    if args.after is None:
        return size, None
    score, post_id = decode_sort_cursor(args.after, "after", SCORE)
    return size, (int(score), post_id)


async def _visible(ctx: Context, ids: list[int]) -> dict[int, Post]:
    """The posts still fit for a feed: ones the viewer may see (a private community's only
    for its members), published, by an active author (two statements, and one for community
    memberships when some are in a community)."""
    posts = [p for p in await visible_posts(ctx, ids) if p is not None]
    authors = await ctx.loaders[user_by_id].load_many(sorted({p.author_id for p in posts}))
    active = {user.id for user in authors if user is not None and user.is_active}
    return {
        p.id: p
        for p in posts
        if p.status is PostStatus.PUBLISHED
        and p.published_at is not None
        and p.hidden_at is None  # a moderator hid it: out of feeds, even for staff
        and p.author_id in active
    }


@dataclass(slots=True)
class _Collected:
    rows: list[Post] = field(default_factory=list)
    scores: dict[int, int] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)
    more: bool = False


async def _collect(ctx: Context, window: Window, after: Item | None, size: int) -> _Collected:
    found = _Collected()
    position = after
    for _ in range(MAX_ROUNDS):
        want = size + 1 - len(found.rows)  # one more than the page: is there a next page?
        items = await window(position, want)
        shown = await _visible(ctx, [post_id for _, post_id in items])
        for score, post_id in items:
            if post_id in found.scores:
                continue
            if post_id in shown:
                found.rows.append(shown[post_id])
                found.scores[post_id] = score
            else:
                found.skipped.append(post_id)
        if len(items) < want or len(found.rows) > size:
            break
        position = items[-1]
    else:
        found.more = True  # still short after every round: say there is more
    found.more = found.more or len(found.rows) > size
    found.rows = found.rows[:size]
    return found


def _page(found: _Collected, after: Item | None, count: Callable[[], Awaitable[int]]) -> FeedPage:
    return FeedPage(
        rows=found.rows,
        has_next_page=found.more,
        has_previous_page=after is not None,
        count=count,
        scores=found.scores,
    )


def merge(*windows: list[Item]) -> list[Item]:
    """Items of several windows, newest first, each post once (at its latest score: a post
    archived and published again is in the set at its first publication too)."""
    best: dict[int, int] = {}
    for items in windows:
        for score, post_id in items:
            best[post_id] = max(score, best.get(post_id, score))
    return sorted(((score, post_id) for post_id, score in best.items()), reverse=True)


class _HomeWindow:
    """The items of one user's home feed: Redis and the large-source merge, or PostgreSQL."""

    def __init__(self, ctx: Context, user_id: int) -> None:
        self.ctx = ctx
        self.user_id = user_id
        self.redis_ok = True
        self.from_redis = False

    def _failed(self, exc: RedisError) -> None:
        self.redis_ok = False
        _unavailable.failure(
            logging.WARNING,
            exc,
            "home feed: Redis unreachable (%s); reading PostgreSQL",
            exc,
            label="home feed",
            traceback=not isinstance(exc, RedisSkipped),
        )

    async def __call__(self, after: Item | None, limit: int) -> list[Item]:
        if self.redis_ok:
            try:
                with self.ctx.redis_breaker.guard():
                    merged = await self._cached(after, limit)
                if merged is not None:
                    return merged
            except RedisError as exc:
                self._failed(exc)
        return await sources.followed_items(self.user_id, after, limit)

    async def _cached(self, after: Item | None, limit: int) -> list[Item] | None:
        """The window from Redis plus the merge; None when only PostgreSQL has it all."""
        settings, redis, keys = self.ctx.settings, self.ctx.redis, self.ctx.keys
        cap, ttl = settings.feed_max_items, settings.feed_ttl_seconds
        window = await store.read_window(
            redis, keys, self.user_id, after, limit, max_items=cap, ttl=ttl
        )
        if window is None:
            window = await self._rebuild(after, limit)
        self.from_redis = True
        if len(window.items) < limit and window.full:
            return None  # past what the set keeps
        large = window.large
        if large is None:
            large = await sources.large_sources(self.user_id, settings.feed_fanout_max_followers)
            await store.remember_large(redis, keys, self.user_id, large)
        if not large:
            return window.items
        pulled = await sources.source_items(self.user_id, large, after, limit)
        return merge(window.items, pulled)[:limit]

    async def _rebuild(self, after: Item | None, limit: int) -> store.Window:
        settings, redis, keys = self.ctx.settings, self.ctx.redis, self.ctx.keys
        cap = settings.feed_max_items
        await store.begin_rebuild(redis, keys, self.user_id)
        found = await sources.followed_items(self.user_id, None, cap)
        await store.finish_rebuild(
            redis, keys, self.user_id, found, max_items=cap, ttl=settings.feed_ttl_seconds
        )
        older = [item for item in found if after is None or item < after]
        return store.Window(older[:limit], len(found) >= cap, None)

    async def forget(self, post_ids: list[int]) -> None:
        if not (post_ids and self.from_redis and self.redis_ok):
            return
        try:
            with self.ctx.redis_breaker.guard():
                await store.remove(self.ctx.redis, self.ctx.keys, self.user_id, post_ids)
        except RedisError as exc:
            self._failed(exc)


async def home_feed(ctx: Context, args: PageArgs) -> FeedPage:
    """The signed-in user's home feed, newest first (apps: read:content)."""
    user = require_scope(ctx, Scope.READ_CONTENT)
    size, after = _position(args)
    window = _HomeWindow(ctx, user.id)
    found = await _collect(ctx, window, after, size)
    await window.forget(found.skipped)
    return _page(found, after, sources.followed_posts(user.id).count)


async def topic_feed(ctx: Context, slug: str, args: PageArgs) -> FeedPage | None:
    """A topic's published posts, newest first; None for a topic you cannot see."""
    size, after = _position(args)
    topic = await topic_with_slug(ctx, slug)
    if topic is None:
        return None

    async def window(position: Item | None, limit: int) -> list[Item]:
        return await sources.topic_items(topic.id, position, limit)

    found = await _collect(ctx, window, after, size)
    return _page(found, after, sources.published().filter(post_topics__topic_id=topic.id).count)
