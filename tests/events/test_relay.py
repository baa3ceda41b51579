"""The relay: in id order, at least once, one relayer at a time, onto Redis pub/sub."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from tortoise.transactions import in_transaction

from main import cron_jobs
from models.events import Event
from resolvers import events
from resolvers.events import MAX_ATTEMPTS, matches, record_event, subscribe
from storage.cache import open_redis
from tests.events.support import Seen
from tests.utils import run_job

pytestmark = pytest.mark.usefixtures("running")


async def _commit(*types: str) -> list[int]:
    """Events committed one transaction each, as mutations do; their ids."""
    ids = []
    for n, kind in enumerate(types):
        async with in_transaction():
            ids.append((await record_event(kind, {"n": n})).id)
    return ids


def _channel(services: Any) -> str:
    return events.channel(services.settings.redis_prefix)


async def _relay(services: Any, batch_size: int = 100) -> events.RelayReport:
    return await events.relay_events(services.redis, _channel(services), batch_size=batch_size)


@pytest.mark.smoke
async def test_events_committed_before_a_crash_are_relayed_later_in_order_exactly_once(
    services: Any, seen: Seen
) -> None:
    # Committed, and then nothing: the process died before its kick or any relay ran.
    ids = await _commit("order.created", "order.paid", "post.published")
    assert seen.events == []

    job = await run_job(services.queue, "relay_events")  # the worker, restarted

    assert job.status == "complete", job.error
    assert job.result == {"relayed": 3, "failed": 0, "retrying": 0, "busy": 0}
    assert seen.ids == ids
    assert [(e.type, e.version, e.payload) for e in seen.events] == [
        ("order.created", 1, {"version": 1, "n": 0}),
        ("order.paid", 1, {"version": 1, "n": 1}),
        ("post.published", 1, {"version": 1, "n": 2}),
    ]
    assert await Event.filter(relayed_at=None).count() == 0
    again = await run_job(services.queue, "relay_events")
    assert again.result == {"relayed": 0, "failed": 0, "retrying": 0, "busy": 0}
    assert seen.ids == ids  # nothing delivered twice


async def test_consumers_subscribe_by_type_or_prefix() -> None:
    assert matches("*", "order.paid")
    assert matches("order.paid", "order.paid")
    assert matches("order", "order.paid")
    assert matches("order.", "order.paid")
    assert not matches("order", "orders.paid")
    assert not matches("order.paid", "order.paid_out")
    with pytest.raises(ValueError, match="subscribe to"):
        subscribe("", Seen())


async def test_only_matching_consumers_get_an_event(services: Any) -> None:
    orders, paid = Seen(), Seen()
    undo = [subscribe("order.", orders), subscribe("order.paid", paid)]
    try:
        ids = await _commit("order.created", "review.created", "order.paid")
        await _relay(services)
    finally:
        for unsubscribe in undo:
            unsubscribe()
    assert orders.ids == [ids[0], ids[2]]
    assert paid.ids == [ids[2]]


async def test_a_refusing_consumer_holds_the_event_and_those_after_it_until_retried(
    services: Any, seen: Seen
) -> None:
    first, stuck, after = await _commit("order.created", "order.paid", "order.shipped")
    seen.fail_on = {stuck}

    report = await _relay(services)

    assert (report.relayed, report.retrying, report.failed) == (1, 1, 0)
    assert seen.ids == [first]  # the one after waits: no event overtakes another
    row = await Event.get(id=stuck)
    assert (row.relayed_at, row.attempts, row.failed_at) == (None, 1, None)
    assert row.last_error == f"RuntimeError: consumer refuses event {stuck}"

    seen.fail_on = set()  # the consumer recovers (or a bug is fixed): the retry delivers
    await _relay(services)
    assert seen.ids == [first, stuck, after]
    assert await Event.filter(relayed_at=None).count() == 0


async def test_a_poison_event_is_marked_failed_after_max_attempts_and_the_rest_flows(
    services: Any, seen: Seen
) -> None:
    first, poison, after = await _commit("order.created", "order.paid", "order.shipped")
    seen.fail_on = {poison}

    reports = [await _relay(services) for _ in range(MAX_ATTEMPTS)]

    assert [r.retrying for r in reports] == [1] * (MAX_ATTEMPTS - 1) + [0]
    assert reports[-1].failed == 1
    assert seen.ids == [first, after]
    row = await Event.get(id=poison)
    assert row.relayed_at is None
    assert row.failed_at is not None
    assert row.attempts == MAX_ATTEMPTS
    assert "consumer refuses" in row.last_error
    assert (await _relay(services)).relayed == 0  # it is not tried again


async def test_a_consumers_database_writes_are_undone_with_its_failure(
    services: Any,
) -> None:
    (event_id,) = await _commit("order.paid")

    async def writes_then_fails(event: events.DomainEvent) -> None:
        await Event.filter(id=event.id).update(last_error="written by the consumer")
        raise RuntimeError("after writing")

    unsubscribe = subscribe("order.paid", writes_then_fails)
    try:
        await _relay(services)
    finally:
        unsubscribe()
    # The savepoint rolled the consumer's write back; the relay then recorded its own.
    assert (await Event.get(id=event_id)).last_error == "RuntimeError: after writing"


async def test_two_concurrent_relays_deliver_each_event_once_in_order(
    services: Any, seen: Seen
) -> None:
    ids = await _commit(*(["order.paid"] * 60))

    async def slow(event: events.DomainEvent) -> None:
        await asyncio.sleep(0)  # let the other relay run between deliveries

    unsubscribe = subscribe("*", slow)
    try:
        reports = await asyncio.gather(
            _relay(services, batch_size=7), _relay(services, batch_size=7)
        )
        # Whichever gave way to the other is done; a last run finds nothing left.
        await _relay(services, batch_size=7)
    finally:
        unsubscribe()

    assert sum(r.relayed for r in reports) == 60
    assert seen.ids == ids  # each once, in id order
    assert await Event.filter(relayed_at=None).count() == 0


async def test_two_relay_jobs_in_two_workers_at_once_deliver_each_event_once(
    services: Any, seen: Seen
) -> None:
    from main import make_worker  # the app module, as tests/utils.py imports it

    ids = await _commit(*(["order.paid"] * 30))
    await services.queue.connect()
    jobs = [await services.queue.enqueue("relay_events") for _ in range(2)]
    workers = [make_worker(services.queue, in_process=True, burst=True) for _ in range(2)]

    await asyncio.wait_for(asyncio.gather(*(worker.start() for worker in workers)), 60)

    results = []
    for job in jobs:
        assert job is not None
        await job.refresh()
        assert job.status == "complete", job.error
        results.append(job.result)
    assert sum(result["relayed"] for result in results) == 30
    assert seen.ids == ids


async def test_a_redis_subscriber_receives_each_relayed_event(services: Any) -> None:
    subscriber = open_redis(services.settings.redis_url)
    pubsub = subscriber.pubsub()
    try:
        await pubsub.subscribe(_channel(services))
        confirmation = await pubsub.get_message(timeout=5)
        assert confirmation is not None
        assert confirmation["type"] == "subscribe"
        async with in_transaction():
            event = await record_event(
                "order.paid", {"order": {"id": "T3JkZXI6MQ==", "status": "PAID"}}
            )

        await run_job(services.queue, "relay_events")

        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
        assert message is not None
        assert orjson.loads(message["data"]) == {
            "id": event.id,
            "type": "order.paid",
            "version": 1,
            "createdAt": event.created_at.isoformat(),
            "payload": {"version": 1, "order": {"id": "T3JkZXI6MQ==", "status": "PAID"}},
        }
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await subscriber.aclose()


async def test_with_redis_down_the_relay_stops_and_keeps_the_events(
    services: Any, seen: Seen
) -> None:
    ids = await _commit("order.created", "order.paid")
    dead = open_redis("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        report = await events.relay_events(dead, _channel(services))
    finally:
        await dead.aclose()

    assert (report.relayed, report.retrying, report.failed) == (0, 0, 0)
    assert await Event.filter(relayed_at=None, attempts=0).count() == 2  # not their fault
    await _relay(services)  # Redis is back
    assert seen.ids == [ids[0], *ids]  # at least once: the first reached the consumer twice


async def test_the_prune_deletes_relayed_events_past_the_retention_only(services: Any) -> None:
    old, recent, unrelayed, failed = await _commit(
        "order.created", "order.paid", "order.shipped", "order.delivered"
    )
    long_ago = datetime.now(UTC) - timedelta(days=8)
    await Event.filter(id=old).update(relayed_at=long_ago)
    await Event.filter(id=recent).update(relayed_at=datetime.now(UTC) - timedelta(days=6))
    await Event.filter(id=failed).update(failed_at=long_ago, attempts=MAX_ATTEMPTS)

    job = await run_job(services.queue, "prune_events")  # default retention: 7 days

    assert job.result == {"pruned": 1}
    assert {row.id for row in await Event.all()} == {recent, unrelayed, failed}


def test_the_worker_relays_every_five_seconds_and_prunes_hourly() -> None:
    schedules = {job.function.__name__: job.cron for job in cron_jobs()}
    assert schedules["relay_events"] == "* * * * * */5"
    assert schedules["prune_events"] == "29 * * * *"
