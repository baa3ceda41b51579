"""Cron jobs back off between retries, so an outage of the database does not use them all up."""

from __future__ import annotations

import uuid

import pytest

from main import JOB_RETRIES, JOB_RETRY_DELAY_SECONDS, JOB_RETRY_MAX_DELAY_SECONDS, make_worker
from storage.cache import open_redis
from storage.queue import open_queue


@pytest.mark.parametrize(
    "function",
    ["purge_dead_credentials", "expire_unpaid_orders", "purge_stale_carts", "retry_refunds"],
)
async def test_scheduled_cron_jobs_wait_longer_before_each_retry(function: str) -> None:
    queue = open_queue(open_redis(f"memory://{uuid.uuid4().hex}"), "retries-test:")
    await queue.connect()
    try:
        # when: the worker enqueues its cron jobs, as it does on start
        await make_worker(queue, in_process=True).schedule()
        job = await queue.job(f"cron:{function}")
    finally:
        await queue.disconnect()

    # then: each carries the backoff, which saq applies when an attempt fails
    assert job is not None
    assert job.retries == JOB_RETRIES
    assert job.retry_delay == JOB_RETRY_DELAY_SECONDS
    assert job.retry_backoff == JOB_RETRY_MAX_DELAY_SECONDS
    delays = []
    for attempts in (1, 2, 3):
        job.attempts = attempts
        delays.append(max(job.next_retry_delay() for _ in range(200)))
    # full jitter: up to the delay, then up to twice it, and so on (never past the cap)
    assert delays[0] <= JOB_RETRY_DELAY_SECONDS < delays[1] <= 2 * JOB_RETRY_DELAY_SECONDS
    assert delays[2] <= JOB_RETRY_MAX_DELAY_SECONDS
