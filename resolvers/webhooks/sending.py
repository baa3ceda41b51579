"""Sending deliveries: one worker job per attempt, retries with backoff, disabling.

Each attempt is its own saq job (`deliver_webhook`), keyed `webhook:<delivery>:<attempt>`, so
a slow receiver holds one job slot for at most the timeout and never another app's delivery.
The delivery row is the source of truth; the job is only a reminder. Every job first claims
its attempt with a conditional update (`attempts = n - 1`), so a duplicate job sends nothing,
and pushes `next_attempt_at` past the request's timeout as a lease: the dispatcher
(`dispatch_due`, every few seconds) re-enqueues only deliveries whose time has come and
whose lease ran out, which is how a job lost with a killed worker or a flushed Redis is sent
after all.

Retries wait a random part (full jitter) of `base * 2**(n-1)`, capped, after the n-th
attempt of a round; after `max_attempts` the delivery is FAILED. A subscription whose
deliveries failed `disable_after` times in a row is disabled, in one transaction with the
`webhook.disabled` event and its owner's in-app notification.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from redis.exceptions import TimeoutError as RedisTimeoutError
from saq.queue.base import Queue
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.apps import App
from models.notifications import Notification, NotificationKind, NotificationTargetKind
from models.webhooks import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookSubscription,
)
from resolvers.events import global_id, record_event
from resolvers.webhooks.secrets import SecretUnreadable, decrypt_secret, signature
from settings import Settings
from storage.breaker import CircuitBreaker

log = logging.getLogger(__name__)

JOB = "deliver_webhook"
OPEN = (WebhookDeliveryStatus.PENDING, WebhookDeliveryStatus.RETRYING)
SNIPPET_CHARS = 500
# The lease a sending job takes beyond the request's timeout before the dispatcher may assume
# the job died and send the attempt again.
LEASE_SLACK = timedelta(seconds=30)
DISPATCH_BATCH = 500
USER_AGENT = "Agora-Webhooks/1"

Status = WebhookDeliveryStatus


@dataclass(frozen=True, slots=True)
class WebhookPolicy:
    timeout_seconds: float
    max_attempts: int
    retry_base_seconds: float
    retry_max_seconds: float
    disable_after: int
    secret_key: str

    @classmethod
    def of(cls, settings: Settings) -> WebhookPolicy:
        return cls(
            timeout_seconds=settings.webhook_timeout_seconds,
            max_attempts=settings.webhook_max_attempts,
            retry_base_seconds=settings.webhook_retry_base_seconds,
            retry_max_seconds=settings.webhook_retry_max_seconds,
            disable_after=settings.webhook_disable_after_failures,
            secret_key=settings.secret_key,
        )

    def ceiling(self, attempt: int) -> float:
        """The longest wait after the `attempt`-th failed attempt of a round (1-based)."""
        return float(min(self.retry_max_seconds, self.retry_base_seconds * 2.0 ** (attempt - 1)))

    def retry_delay(self, attempt: int, draw: Callable[[], float] = random.random) -> float:
        """Full jitter: uniformly anywhere from 0 to the ceiling."""
        return draw() * self.ceiling(attempt)

    @property
    def job_timeout(self) -> int:
        return math.ceil(self.timeout_seconds) + 30


def _key(delivery_id: int, attempt: int) -> str:
    return f"webhook:{delivery_id}:{attempt}"


async def enqueue_attempt(
    queue: Queue,
    policy: WebhookPolicy,
    delivery_id: int,
    attempt: int,
    *,
    at: datetime | None = None,
    breaker: CircuitBreaker | None = None,
    wait_seconds: float | None = None,
) -> bool:
    """Enqueue one attempt (at a time, or now); False when the queue was not reached (the
    dispatcher then sends it once it is due)."""

    async def enqueue() -> None:
        sent = queue.enqueue(
            JOB,
            key=_key(delivery_id, attempt),
            delivery_id=delivery_id,
            attempt=attempt,
            # saq schedules in whole seconds; rounding up never sends before the time.
            scheduled=math.ceil(at.timestamp()) if at is not None else 0,
            timeout=policy.job_timeout,
            retries=1,  # our own retries, with our own backoff
        )
        try:
            await asyncio.wait_for(sent, wait_seconds)
        except TimeoutError as exc:  # a hung Redis: what trips the breaker
            raise RedisTimeoutError("the job queue did not answer in time") from exc

    try:
        if breaker is None:
            await enqueue()
        else:
            with breaker.guard():
                await enqueue()
    except Exception:
        log.warning("could not enqueue webhook delivery %s; the dispatcher will", delivery_id)
        return False
    return True


async def dispatch_due(queue: Queue, policy: WebhookPolicy, now: datetime | None = None) -> int:
    """Enqueue every open delivery whose next attempt is due (new ones, and any whose job
    was lost); a job already queued under the same key is not enqueued twice."""
    due = (
        await WebhookDelivery.filter(status__in=OPEN, next_attempt_at__lte=now or _now())
        .order_by("next_attempt_at")
        .limit(DISPATCH_BATCH)
        .values_list("id", "attempts")
    )
    for delivery_id, attempts in due:
        await enqueue_attempt(queue, policy, delivery_id, attempts + 1)
    return len(due)


async def prune_deliveries(retention: timedelta, now: datetime | None = None) -> int:
    """Delete finished deliveries (and their attempts) made longer ago than `retention`."""
    cutoff = (now or _now()) - retention
    done = (Status.SUCCEEDED, Status.FAILED)
    return await WebhookDelivery.filter(status__in=done, created_at__lt=cutoff).delete()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _Outcome:
    started_at: datetime
    duration_ms: int
    response_code: int | None
    snippet: str
    error: str

    @property
    def succeeded(self) -> bool:
        return self.response_code is not None and 200 <= self.response_code < 300


async def deliver(
    delivery_id: int, attempt: int, policy: WebhookPolicy, queue: Queue | None
) -> str:
    """Make attempt `attempt` of a delivery, unless it was made already; what happened."""
    row = await WebhookDelivery.filter(id=delivery_id).select_related("subscription").first()
    if row is None or row.status not in OPEN or row.attempts != attempt - 1:
        return "skipped"
    subscription = row.subscription
    now = _now()
    if not subscription.active:
        await WebhookDelivery.filter(id=row.id, attempts=row.attempts, status__in=OPEN).update(
            status=Status.FAILED, next_attempt_at=None, last_error="The subscription is disabled."
        )
        return "disabled"
    lease = now + timedelta(seconds=policy.timeout_seconds) + LEASE_SLACK
    claimed = await WebhookDelivery.filter(id=row.id, attempts=attempt - 1, status__in=OPEN).update(
        attempts=attempt, last_attempt_at=now, next_attempt_at=lease
    )
    if not claimed:
        return "skipped"
    outcome = await _send(row, subscription, attempt, policy)
    if outcome.succeeded:
        await _record_success(row, subscription, attempt, outcome)
        return "succeeded"
    if attempt - row.round_start < policy.max_attempts:
        next_at = _now() + timedelta(seconds=policy.retry_delay(attempt - row.round_start))
        await _record_retry(row, attempt, outcome, next_at)
        if queue is not None:
            await enqueue_attempt(queue, policy, row.id, attempt + 1, at=next_at)
        return "retrying"
    await _record_failure(row, subscription, attempt, outcome, policy)
    return "failed"


async def _send(
    row: WebhookDelivery, subscription: WebhookSubscription, attempt: int, policy: WebhookPolicy
) -> _Outcome:
    started_at = _now()
    start = time.monotonic()
    code: int | None = None
    snippet = error = ""
    try:
        secret = decrypt_secret(subscription.secret_encrypted, policy.secret_key)
        body = row.body.encode()
        timestamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "agora-webhook-id": global_id("WebhookDelivery", row.id),
            "agora-webhook-timestamp": str(timestamp),
            "agora-webhook-signature": signature(secret, timestamp, body),
            "agora-webhook-event": row.event_type,
            "agora-webhook-attempt": str(attempt),
        }
        # httpx's timeout bounds each read; this bounds the whole exchange, so a receiver
        # that trickles its answer cannot hold the job longer either.
        code, snippet = await asyncio.wait_for(
            _post(subscription.url, body, headers, policy.timeout_seconds),
            policy.timeout_seconds,
        )
    except SecretUnreadable as exc:
        error = f"The signing secret is unreadable ({exc}); rotate it."
    except TimeoutError:
        error = f"No answer within {policy.timeout_seconds:g} s."
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    duration_ms = int((time.monotonic() - start) * 1000)
    if code is not None and not 200 <= code < 300:
        error = f"The receiver answered {code}."
    return _Outcome(started_at, duration_ms, code, snippet, error[:SNIPPET_CHARS])


async def _post(url: str, body: bytes, headers: dict[str, str], seconds: float) -> tuple[int, str]:
    async with (
        httpx.AsyncClient(timeout=seconds, follow_redirects=False) as client,
        client.stream("POST", url, content=body, headers=headers) as response,
    ):
        read = bytearray()
        async for chunk in response.aiter_bytes():
            read.extend(chunk)
            if len(read) >= SNIPPET_CHARS:
                break  # the rest is not logged; no need to wait for it
        return response.status_code, read.decode(errors="replace")[:SNIPPET_CHARS]


async def _log_attempt(
    row: WebhookDelivery, attempt: int, outcome: _Outcome, next_at: datetime | None
) -> None:
    await WebhookAttempt.create(
        delivery_id=row.id,
        number=attempt,
        started_at=outcome.started_at,
        duration_ms=outcome.duration_ms,
        succeeded=outcome.succeeded,
        response_code=outcome.response_code,
        response_snippet=outcome.snippet,
        error=outcome.error,
        next_attempt_at=next_at,
    )


def _summary(outcome: _Outcome) -> dict[str, object]:
    return {
        "last_response_code": outcome.response_code,
        "last_duration_ms": outcome.duration_ms,
        "last_response_snippet": outcome.snippet,
        "last_error": outcome.error,
    }


async def _record_success(
    row: WebhookDelivery, subscription: WebhookSubscription, attempt: int, outcome: _Outcome
) -> None:
    async with in_transaction():
        await _log_attempt(row, attempt, outcome, None)
        await WebhookDelivery.filter(id=row.id, attempts=attempt).update(
            status=Status.SUCCEEDED, next_attempt_at=None, **_summary(outcome)
        )
        await WebhookSubscription.filter(id=subscription.id).update(consecutive_failures=0)


async def _record_retry(
    row: WebhookDelivery, attempt: int, outcome: _Outcome, next_at: datetime
) -> None:
    async with in_transaction():
        await _log_attempt(row, attempt, outcome, next_at)
        await WebhookDelivery.filter(id=row.id, attempts=attempt).update(
            status=Status.RETRYING, next_attempt_at=next_at, **_summary(outcome)
        )


async def _record_failure(
    row: WebhookDelivery,
    subscription: WebhookSubscription,
    attempt: int,
    outcome: _Outcome,
    policy: WebhookPolicy,
) -> None:
    async with in_transaction():
        await _log_attempt(row, attempt, outcome, None)
        await WebhookDelivery.filter(id=row.id, attempts=attempt).update(
            status=Status.FAILED, next_attempt_at=None, **_summary(outcome)
        )
        await WebhookSubscription.filter(id=subscription.id).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        counted = await WebhookSubscription.filter(id=subscription.id).values_list(
            "consecutive_failures", flat=True
        )
        failures = int(counted[0]) if counted else 0  # type: ignore[call-overload]
        if failures >= policy.disable_after:
            await _disable(subscription, failures)


async def _disable(subscription: WebhookSubscription, failures: int) -> None:
    """Disable (once: a conditional update) and tell the owner, in the caller's transaction."""
    reason = f"Disabled after {failures} failed deliveries in a row."
    disabled = await WebhookSubscription.filter(id=subscription.id, active=True).update(
        active=False, disabled_at=_now(), disabled_reason=reason
    )
    if not disabled:
        return
    owner_id = await App.filter(id=subscription.app_id).values_list("owner_id", flat=True)
    await record_event(
        "webhook.disabled",
        {
            "subscription": {"id": global_id("WebhookSubscription", subscription.id)},
            "app": {"id": global_id("App", subscription.app_id)},
            "url": subscription.url,
            "reason": reason,
        },
    )
    if owner_id:
        await Notification.create(
            recipient_id=owner_id[0],
            kind=NotificationKind.WEBHOOK_DISABLED,
            target_kind=NotificationTargetKind.WEBHOOK_SUBSCRIPTION,
            target_id=subscription.id,
        )
    log.warning("webhook subscription %s disabled: %s", subscription.id, reason)
