"""Fan-out on write: a post just published goes into its audience's home feeds, by the worker.

Publishing (publishPost, and the worker's scheduled publishing) records `post.published` in its
transaction; the outbox relay hands that event to `on_post_published`, which enqueues
`fan_out_post`. So a crash between the commit and the enqueue loses nothing: the event stays
unrelayed until the enqueue worked. The job re-reads the post, and does nothing if it was
archived or deleted meanwhile. Sources (the author, each topic) with more
than FEED_FANOUT_MAX_FOLLOWERS followers are skipped: their followers merge them on read.
Only feeds that exist get the post (a missing one is rebuilt from PostgreSQL when read), so
users who stopped coming cost nothing. Pushing is idempotent: a retried job changes nothing.

Follows and unfollows drop the follower's feed (`forget_home_feed`), so the next read rebuilds
it with the new follow's recent posts, or without the unfollowed source's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from redis.asyncio import Redis
from redis.exceptions import RedisError
from saq.queue.base import Queue

from resolvers import events
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


async def enqueue_fan_out(queue: Queue, settings: Settings, post_id: int) -> None:
    """Ask the worker to fan a published post out. The feed settings travel with the job, so
    the worker pushes by the rule readers merge by. Raises when the queue is unreachable: the
    caller (the relay) then keeps the event and retries."""
    await queue.enqueue(
        "fan_out_post",
        # One job per post while it waits: a relay that runs the consumer twice (at least
        # once) does not queue a second push.
        key=f"fan_out_post:{post_id}",
        post_id=post_id,
        max_followers=settings.feed_fanout_max_followers,
        max_items=settings.feed_max_items,
        feed_ttl=settings.feed_ttl_seconds,  # not `ttl`: saq's job field
        retries=FAN_OUT_RETRIES,
    )


_registered: list[Callable[[], None]] = []


def register_consumers(queue: Queue, settings: Settings) -> None:
    """Fan out every relayed `post.published` through this worker's queue. The worker calls
    it as it starts; a later worker in the same process (tests) replaces the earlier one's."""

    async def on_post_published(event: events.DomainEvent) -> None:
        post_id = events.local_id(event.payload.get("post", {}).get("id"), "Post")
        if post_id is not None:  # payloads are ours; a foreign one has nothing to fan out
            await enqueue_fan_out(queue, settings, post_id)

    while _registered:
        _registered.pop()()
    _registered.append(events.subscribe("post.published", on_post_published))


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
