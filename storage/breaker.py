"""A circuit breaker: after a service fails, skip it for a cool-down, then let one call probe it.

Written here rather than taken from a library because none of those on PyPI fits an asyncio
service called from many concurrent requests: pybreaker's async support needs Tornado;
`circuitbreaker` and purgatory let every call through once the cool-down is over (half-open),
so against a hung server each request arriving while the probe waits would wait too, and
purgatory also reads the wall clock and sends each call through a message bus; aiobreaker has
had no release since 2021. redis-py's own tools do not skip a server: `Retry` repeats a call
(a hang then costs more, not less) and `health_check_interval` only pings idle connections.

Everything runs on one event loop, so the state changes in `__enter__`/`__exit__` need no lock:
nothing else runs between reading the state and changing it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from types import TracebackType
from typing import Literal

log = logging.getLogger(__name__)

State = Literal["closed", "open", "half-open"]


class CircuitBreaker:
    """Closed: calls go through. One call failing with a `trips_on` error opens the circuit:
    for `cooldown_seconds` every call is refused at once with `rejection()`, without touching
    the service. After that the next call is the probe (half-open) while the others are still
    refused; if it succeeds the circuit closes, if it fails it opens for another cool-down.

    One failure is enough because the failures it is meant for, a timeout or a refused
    connection, already mean the service is far outside its normal behaviour; waiting for
    several would make several requests pay the timeout.
    """

    def __init__(
        self,
        name: str,
        *,
        cooldown_seconds: float,
        trips_on: tuple[type[BaseException], ...],
        rejection: Callable[[str], BaseException],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.cooldown_seconds = cooldown_seconds
        self.trips_on = trips_on
        self.rejection = rejection
        self.clock = clock  # monotonic: a wall-clock step must not open or close the circuit
        self.opened_at: float | None = None  # None while closed
        self.probing = False
        self.last_failure: BaseException | None = None
        self.rejected = 0  # calls refused since the circuit last opened

    @property
    def state(self) -> State:
        if self.opened_at is None:
            return "closed"
        if self.probing or self.clock() - self.opened_at >= self.cooldown_seconds:
            return "half-open"
        return "open"

    def guard(self) -> Call:
        """`with breaker.guard(): await ...`: refuses the call, or lets it through and judges it."""
        return Call(self)

    def _admit(self) -> bool:
        """Whether the call may go ahead, and raise if it may not; True for the probe."""
        if self.opened_at is None:
            return False
        if not self.probing and self.clock() - self.opened_at >= self.cooldown_seconds:
            self.probing = True
            return True
        self.rejected += 1
        raise self.rejection(
            f"{self.name} skipped: it failed {self.clock() - self.opened_at:.1f} s ago "
            f"({type(self.last_failure).__name__}); next try after {self.cooldown_seconds:g} s"
        )

    def _judge(self, probe: bool, error: BaseException | None) -> None:
        failed = error is not None and isinstance(error, self.trips_on)
        if probe:
            self.probing = False
            if failed:
                self._open(error)
            elif error is None:
                # A warning like the opening one, so a log kept at WARNING shows the outage end.
                log.warning("%s answers again: circuit closed", self.name)
                self.opened_at = None
                self.rejected = 0
            # Anything else (cancelled, an error of ours) says nothing about the service:
            # the circuit stays half-open and the next call probes.
        elif failed and self.opened_at is None:
            log.warning(
                "%s failed (%s: %s): skipping it for %g s",
                self.name,
                type(error).__name__,
                error,
                self.cooldown_seconds,
            )
            self._open(error)
        # A call let through while closed that ends after the circuit opened is stale: its
        # success does not close the circuit, nor does its failure restart the cool-down.

    def _open(self, error: BaseException | None) -> None:
        self.opened_at = self.clock()
        self.last_failure = error


class Call:
    """One guarded call; knows whether it is the probe."""

    __slots__ = ("breaker", "probe")

    def __init__(self, breaker: CircuitBreaker) -> None:
        self.breaker = breaker
        self.probe = False

    def __enter__(self) -> None:
        self.probe = self.breaker._admit()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.breaker._judge(self.probe, exc)
