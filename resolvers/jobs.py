"""Background jobs run by the worker (`python main.py worker`, or in-process in development)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from saq.queue.base import Queue

from models.accounts import Session
from models.apps import AppToken
from resolvers import carts, content, events, feeds, media, orders, social, webhooks
from settings import Settings
from storage.cache import Keys
from storage.media import Storage

log = logging.getLogger(__name__)

# Revoked and expired credentials stay visible this long (for audit) before they are deleted.
CREDENTIAL_RETENTION = timedelta(days=30)


async def purge_dead_credentials(_ctx: dict[str, Any] | None = None) -> dict[str, int]:
    cutoff = datetime.now(UTC) - CREDENTIAL_RETENTION
    sessions = await Session.filter(expires_at__lt=cutoff).delete()
    sessions += await Session.filter(revoked_at__lt=cutoff).delete()
    tokens = await AppToken.filter(expires_at__lt=cutoff).delete()
    tokens += await AppToken.filter(revoked_at__lt=cutoff).delete()
    log.info("purged %d sessions and %d app tokens", sessions, tokens)
    return {"sessions": sessions, "app_tokens": tokens}


async def expire_unpaid_orders(_ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Cancel orders left unpaid past their expiry and put their stock back (open payment
    attempts are reconciled first)."""
    expired = await orders.expire_unpaid_orders()
    if expired:
        log.info("expired %d unpaid orders", expired)
    return {"expired": expired}


async def reconcile_payments(_ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Settle payment attempts left open (see resolvers/orders/attempts.py)."""
    report = await orders.reconcile_payment_attempts()
    if report.paid or report.given_back or report.declined:
        log.info(
            "payment attempts: %d paid, %d refunded, %d declined, %d still open",
            report.paid,
            report.given_back,
            report.declined,
            report.open,
        )
    return {
        "paid": report.paid,
        "given_back": report.given_back,
        "declined": report.declined,
        "open": report.open,
    }


async def purge_stale_carts(_ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Delete anonymous carts idle past `carts.ANONYMOUS_CART_RETENTION`."""
    purged = await carts.purge_stale_anonymous_carts()
    if purged:
        log.info("purged %d stale anonymous carts", purged)
    return {"carts": purged}


async def retry_refunds(_ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Retry refunds the provider has not confirmed yet (see resolvers/orders/refunds.py)."""
    report = await orders.retry_pending_refunds()
    if report.succeeded or report.failed:
        log.info("refunds: %d succeeded, %d failed for good", report.succeeded, report.failed)
    return {"succeeded": report.succeeded, "pending": report.pending, "failed": report.failed}


def _storage(ctx: dict[str, Any] | None) -> Storage:
    # Set by the worker's startup (main.make_worker): media jobs read and write objects.
    storage = (ctx or {}).get("storage")
    if storage is None:
        raise RuntimeError("this job needs the worker to have been given the media storage")
    return storage  # type: ignore[no-any-return]


async def process_media(ctx: dict[str, Any] | None = None, *, media_id: int) -> dict[str, str]:
    """Read an uploaded image's size and write its variants (enqueued by completeUpload)."""
    return {"result": await media.process_media(_storage(ctx), media_id)}


async def delete_media_objects(
    ctx: dict[str, Any] | None = None, *, keys: list[str]
) -> dict[str, int]:
    """Delete a deleted media's objects (enqueued by deleteMedia once its row is gone)."""
    return {"deleted": await media.delete_objects(_storage(ctx), keys)}


async def purge_abandoned_uploads(ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Remove uploads never completed or failed, and resume media whose job was lost."""
    report = await media.purge_abandoned_uploads(_storage(ctx))
    if report["purged"] or report["resumed"]:
        log.info("media: purged %(purged)d abandoned uploads, resumed %(resumed)d", report)
    return report


async def publish_due_posts(ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Publish scheduled posts whose `publish_at` has passed (resolvers/content/writing.py);
    each records `post.published`, whose relay fans it out (resolvers/feeds)."""
    published = await content.publish_due_posts()
    if published:
        log.info("published %d scheduled posts", published)
    return {"published": published}


async def flush_share_clicks(ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Move share-link clicks counted in Redis into PostgreSQL (resolvers/social/clicks.py)."""
    # The worker's queue lives on the deployment's Redis, named "<redis prefix>jobs"
    # (storage/queue.py): the counters are on the same Redis under the same prefix.
    worker = (ctx or {}).get("worker")
    if worker is None:
        raise RuntimeError("this job runs in the worker, on the queue's Redis")
    queue = worker.queue
    clicks = await social.flush_share_clicks(queue.redis, Keys(queue.name.removesuffix("jobs")))
    if clicks:
        log.info("flushed %d share-link clicks", clicks)
    return {"clicks": clicks}


# Relayed events stay this long unless the worker is given EVENT_RETENTION_DAYS (main.make_worker).
EVENT_RETENTION = timedelta(days=7)


def _queue_redis(ctx: dict[str, Any] | None, job: str) -> tuple[Any, str]:
    """The worker queue's Redis and the deployment's key prefix (the queue is "<prefix>jobs")."""
    worker = (ctx or {}).get("worker")
    if worker is None:
        raise RuntimeError(f"{job} runs in the worker, on the queue's Redis")
    return worker.queue.redis, worker.queue.name.removesuffix("jobs")


async def relay_events(ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Relay the outbox: unrelayed events, in id order, to the in-process consumers and the
    Redis channel (resolvers/events/relay.py). Run by a cron and kicked after writes."""
    redis, prefix = _queue_redis(ctx, "relay_events")
    report = await events.relay_events(redis, events.channel(prefix))
    if report.relayed:
        # The consumer made deliveries in the batches just committed: send them now rather
        # than at the dispatcher's next run.
        worker = (ctx or {})["worker"]  # _queue_redis above made sure it is there
        await webhooks.dispatch_due(worker.queue, _webhook_policy(ctx))
    if report.relayed or report.failed or report.retrying:
        log.info(
            "events: %d relayed, %d failed for good, %d to retry",
            report.relayed,
            report.failed,
            report.retrying,
        )
    return {
        "relayed": report.relayed,
        "failed": report.failed,
        "retrying": report.retrying,
        "busy": int(report.busy),
    }


async def prune_events(ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Delete events relayed longer ago than the retention (failed ones stay)."""
    retention = (ctx or {}).get("event_retention") or EVENT_RETENTION
    pruned = await events.prune_relayed_events(retention)
    if pruned:
        log.info("pruned %d relayed events", pruned)
    return {"pruned": pruned}


async def refresh_trending(ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Store a new trending ranking snapshot (resolvers/feeds/trending.py)."""
    redis, prefix = _queue_redis(ctx, "refresh_trending")
    ranked = await feeds.refresh_trending(redis, Keys(prefix))
    return {"ranked": ranked}


async def fan_out_post(
    ctx: dict[str, Any] | None = None,
    *,
    post_id: int,
    max_followers: int,
    max_items: int,
    feed_ttl: int,
) -> dict[str, int]:
    """Push a published post into its followers' home feeds (resolvers/feeds/fanout.py)."""
    worker = (ctx or {}).get("worker")
    if worker is None:
        raise RuntimeError("this job runs in the worker, on the queue's Redis")
    queue = worker.queue  # the feeds live on the queue's Redis, under the same prefix
    pushed = await feeds.fan_out_post(
        queue.redis,
        Keys(queue.name.removesuffix("jobs")),
        post_id,
        max_followers=max_followers,
        max_items=max_items,
        feed_ttl=feed_ttl,
    )
    return {"pushed": pushed}


def register_consumers(queue: Queue, settings: Settings) -> None:
    """Subscribe the relay consumers that enqueue this worker's jobs (the feeds' fan-out)."""
    feeds.register_consumers(queue, settings)


def _webhook_policy(ctx: dict[str, Any] | None) -> webhooks.WebhookPolicy:
    settings: Settings = (ctx or {}).get("settings") or Settings()
    return webhooks.WebhookPolicy.of(settings)


async def deliver_webhook(
    ctx: dict[str, Any] | None = None, *, delivery_id: int, attempt: int
) -> dict[str, str]:
    """One attempt of one webhook delivery (resolvers/webhooks/sending.py)."""
    worker = (ctx or {}).get("worker")
    queue = worker.queue if worker is not None else None
    result = await webhooks.deliver(delivery_id, attempt, _webhook_policy(ctx), queue)
    return {"result": result}


async def dispatch_webhooks(ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Enqueue the webhook deliveries that are due (new, retries, jobs that were lost)."""
    worker = (ctx or {}).get("worker")
    if worker is None:
        raise RuntimeError("dispatch_webhooks runs in the worker, on its queue")
    return {"dispatched": await webhooks.dispatch_due(worker.queue, _webhook_policy(ctx))}


# Finished webhook deliveries and their attempt logs stay this long (docs/webhooks.md).
WEBHOOK_DELIVERY_RETENTION = timedelta(days=30)


async def prune_webhook_deliveries(_ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Delete finished webhook deliveries older than the retention; open ones stay."""
    pruned = await webhooks.prune_deliveries(WEBHOOK_DELIVERY_RETENTION)
    if pruned:
        log.info("pruned %d webhook deliveries", pruned)
    return {"pruned": pruned}


assert deliver_webhook.__name__ == webhooks.JOB  # what sending.py enqueues


JOBS: list[Callable[..., Awaitable[dict[str, Any]]]] = [
    purge_dead_credentials,
    expire_unpaid_orders,
    purge_stale_carts,
    retry_refunds,
    reconcile_payments,
    process_media,
    delete_media_objects,
    purge_abandoned_uploads,
    publish_due_posts,
    flush_share_clicks,
    relay_events,
    prune_events,
    refresh_trending,
    fan_out_post,
    deliver_webhook,
    dispatch_webhooks,
    prune_webhook_deliveries,
]
