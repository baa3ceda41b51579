"""The circuit breaker: one failure opens it, calls are then refused untouched, one probes."""

from __future__ import annotations

import asyncio

import pytest

from storage.breaker import CircuitBreaker


class Down(Exception):
    """Stands for a timeout or a refused connection."""


class Answered(Exception):
    """Stands for an error the service answered with (not an outage)."""


class Skipped(Exception):
    pass


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker(
        "Service", cooldown_seconds=3.0, trips_on=(Down,), rejection=Skipped, clock=clock
    )


def state(breaker: CircuitBreaker) -> str:
    # Read anew each time (mypy would narrow `breaker.state` after the first comparison).
    return breaker.state


def fail(breaker: CircuitBreaker, error: Exception) -> None:
    with pytest.raises(type(error)), breaker.guard():
        raise error


def succeed(breaker: CircuitBreaker) -> None:
    with breaker.guard():
        pass


def test_one_failure_opens_it_and_calls_are_then_refused_without_running(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    succeed(breaker)
    assert state(breaker) == "closed"

    fail(breaker, Down("timeout"))

    assert state(breaker) == "open"
    clock.now += 2.9
    ran = []
    for _ in range(5):
        with pytest.raises(Skipped, match="Service skipped"), breaker.guard():
            ran.append(True)
    assert ran == []
    assert breaker.rejected == 5
    assert isinstance(breaker.last_failure, Down)


def test_errors_the_service_answers_with_do_not_open_it(breaker: CircuitBreaker) -> None:
    fail(breaker, Answered("WRONGTYPE"))
    fail(breaker, ValueError("a bug of ours"))

    assert state(breaker) == "closed"
    succeed(breaker)


def test_after_the_cool_down_one_call_probes_and_its_success_closes_it(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    fail(breaker, Down())
    clock.now += 3.0
    assert state(breaker) == "half-open"

    with breaker.guard():
        # while the probe is out, every other call is still refused
        with pytest.raises(Skipped), breaker.guard():
            pass
        assert state(breaker) == "half-open"

    assert state(breaker) == "closed"
    assert breaker.rejected == 0
    succeed(breaker)


def test_a_failed_probe_opens_it_for_another_cool_down(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    fail(breaker, Down())
    clock.now += 3.5

    fail(breaker, Down("still hung"))

    assert state(breaker) == "open"
    clock.now += 2.9
    with pytest.raises(Skipped), breaker.guard():
        pass
    clock.now += 0.1
    succeed(breaker)
    assert state(breaker) == "closed"


async def test_a_cancelled_probe_lets_the_next_call_probe(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    fail(breaker, Down())
    clock.now += 3.0

    async def probe() -> None:
        with breaker.guard():
            await asyncio.sleep(10)

    task = asyncio.create_task(probe())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    # the cancelled probe said nothing about the service: the next call probes at once
    assert state(breaker) == "half-open"
    succeed(breaker)
    assert state(breaker) == "closed"


def test_a_call_let_through_before_it_opened_does_not_close_it_or_restart_the_cool_down(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    slow_success, slow_failure = breaker.guard(), breaker.guard()
    slow_success.__enter__()
    slow_failure.__enter__()
    fail(breaker, Down())
    opened_at = breaker.opened_at

    clock.now += 1.0
    slow_success.__exit__(None, None, None)
    slow_failure.__exit__(Down, Down(), None)

    assert state(breaker) == "open"
    assert breaker.opened_at == opened_at
