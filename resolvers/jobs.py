"""Background jobs run by the worker (`python main.py worker`, or in-process in development)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from models.accounts import Session
from models.apps import AppToken
from resolvers import carts, content, orders

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
    """Cancel orders left unpaid past their expiry and put their stock back."""
    expired = await orders.expire_unpaid_orders()
    if expired:
        log.info("expired %d unpaid orders", expired)
    return {"expired": expired}


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


async def publish_due_posts(_ctx: dict[str, Any] | None = None) -> dict[str, int]:
    """Publish scheduled posts whose `publish_at` has passed (resolvers/content/writing.py)."""
    published = await content.publish_due_posts()
    if published:
        log.info("published %d scheduled posts", published)
    return {"published": published}


JOBS = [
    purge_dead_credentials,
    expire_unpaid_orders,
    purge_stale_carts,
    retry_refunds,
    publish_due_posts,
]
