"""Fan-out on write: a post just published goes into its audience's home feeds, by the worker.

Publishing (publishPost, and the worker's scheduled publishing) enqueues `fan_out_post` once
its transaction has committed, so the job always finds the post; the job re-reads it, and does
nothing if it was archived or deleted meanwhile. Sources (the author, each topic) with more
than FEED_FANOUT_MAX_FOLLOWERS followers are skipped: their followers merge them on read.
Only feeds that exist get the post (a missing one is rebuilt from PostgreSQL when read), so
users who stopped coming cost nothing. Pushing is idempotent: a retried job changes nothing.

Follows and unfollows drop the follower's feed (`forget_home_feed`), so the next read rebuilds
it with the new follow's recent posts, or without the unfollowed source's.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from redis.asyncio import Redis
from redis.exceptions import RedisError
from saq.queue.base import Queue

from resolvers.feeds import sources, store
from settings import Settings
from storage.cache import Keys, RedisSkipped
from storage.logthrottle import LogThrottle

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)
_unavailable = LogThrottle(log)

# The job is idempotent, so retrying it after a lost worker or a database blip is safe.
FAN_OUT_RETRIES = 3


async def enqueue_fan_out(queue: Queue, settings: Settings, post_id: int) -> bool:
    """Ask the worker to fan a published post out; call it after the commit. The feed
    settings travel with the job, so the worker pushes by the rule readers merge by."""
    try:
        await queue.enqueue(
            "fan_out_post",
            post_id=post_id,
            max_followers=settings.feed_fanout_max_followers,
            max_items=settings.feed_max_items,
            feed_ttl=settings.feed_ttl_seconds,  # not `ttl`: saq's job field
            retries=FAN_OUT_RETRIES,
        )
    except Exception:
        # The post is out and the client must hear so. Feeds rebuilt from PostgreSQL (new,
        # expired, after a follow change) and large sources' followers still see it.
        log.exception("could not enqueue the fan-out of post %s", post_id)
        return False
    return True


async def post_published(ctx: Context, post_id: int) -> None:
    """A post was published by this request (committed): fan it out."""
    await enqueue_fan_out(ctx.services.queue, ctx.settings, post_id)


async def fan_out_post(
    redis: Redis, keys: Keys, post_id: int, *, max_followers: int, max_items: int, feed_ttl: int
) -> int:
    """Push a published post into its audience's existing feeds; how many got it."""
    found = await sources.audience(post_id, max_followers)
    if found is None:
        return 0
    item, recipients = found
    return await store.push(
        redis, keys, sorted(recipients), item, max_items=max_items, ttl=feed_ttl
    )


async def forget_home_feed(ctx: Context, user_id: int) -> None:
    """The user's follows changed: drop their feed so the next read rebuilds it."""
    try:
        with ctx.redis_breaker.guard():
            await store.forget(ctx.redis, ctx.keys, user_id)
    except RedisError as exc:
        _unavailable.failure(
            logging.WARNING,
            exc,
            "home feed: Redis unreachable (%s); a follow change waits for the feed to expire",
            exc,
            label="home feed invalidation",
            traceback=not isinstance(exc, RedisSkipped),
        )
