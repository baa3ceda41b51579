"""The embedded queue (fakeredis): an idle worker sleeps, and still runs what is enqueued."""

from __future__ import annotations

import asyncio
import time
import uuid

from saq import Worker
from saq.types import Context

from storage.cache import open_redis
from storage.queue import EmbeddedJobQueue, open_queue

IDLE_SECONDS = 2.0


async def test_an_idle_embedded_worker_sleeps_and_runs_enqueued_jobs_at_once() -> None:
    # given: the in-process worker of `python main.py serve`, on its own fake Redis
    ran = asyncio.Event()

    async def mark(ctx: Context) -> None:
        ran.set()

    queue = open_queue(open_redis(f"memory://{uuid.uuid4().hex}"), "idle-test:")
    assert isinstance(queue, EmbeddedJobQueue)
    worker: Worker[Context] = Worker(queue, functions=[("mark", mark)])
    task = asyncio.create_task(worker.start())
    try:
        await asyncio.sleep(0.2)  # let it start and find the queue empty

        # when: nothing happens for a while
        before = time.process_time()
        await asyncio.sleep(IDLE_SECONDS)
        idle_cpu = time.process_time() - before

        # then: it used next to no CPU (a spinning dequeue loop takes ~0.9 s per second) ...
        assert idle_cpu < 0.25 * IDLE_SECONDS, f"{idle_cpu:.2f} s of CPU in {IDLE_SECONDS} s idle"

        # ... and a job enqueued now runs without waiting out a poll interval
        await queue.enqueue("mark")
        await asyncio.wait_for(ran.wait(), 0.5)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await queue.disconnect()
