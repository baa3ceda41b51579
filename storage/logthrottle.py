"""Logs a repeated failure once, then a count per interval, instead of once per request.

During an outage every request fails the same way: logging each with its traceback wrote
5.4 KB a request, 27 MB in a 20 s Redis outage, burying everything else. A failure is "the
same" when its exception type and the place it was raised (the innermost frame of its
traceback) are, under the same message label; what varies per request (a request id, a path)
does not make it new.

The first occurrence is logged as asked, traceback included. Later ones within `interval` are
counted (and logged one line each at DEBUG, without traceback, for whoever turned that on);
when the interval ends a summary says how many there were and quotes the latest (its request
id, say), and counting goes on for the next interval. An interval with none ends the run: the
next occurrence is logged in full again. The summary is written by a timer on the running
event loop, so the last interval of an outage is reported even when nothing fails afterwards;
without a loop it is written by the next occurrence after the interval.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

Key = tuple[str, str, str]  # label, exception type, where it was raised


@dataclass(slots=True)
class _Run:
    started: float  # when the current interval began
    level: int
    count: int = 0  # occurrences counted in this interval
    latest: str = ""
    timer: asyncio.TimerHandle | None = None


def raised_at(exc: BaseException) -> str:
    """`file:line` of the innermost frame of the exception's traceback ("?" without one)."""
    tb = exc.__traceback__
    if tb is None:
        return "?"
    while tb.tb_next is not None:
        tb = tb.tb_next
    return f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"


class LogThrottle:
    def __init__(
        self,
        logger: logging.Logger,
        *,
        interval_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.interval = interval_seconds
        self.clock = clock
        self._runs: dict[Key, _Run] = {}
        # Failures may be logged from worker threads too; the timers run on the loop.
        self._lock = threading.Lock()

    def failure(
        self,
        level: int,
        exc: BaseException,
        msg: str,
        *args: object,
        label: str | None = None,
        traceback: bool = True,
    ) -> None:
        """Log `msg % args` for `exc` at `level` (with its traceback unless told not to),
        unless the same failure was logged within the interval; `label` (default: `msg`) tells
        apart the same exception logged for different reasons."""
        key = (label if label is not None else msg, type(exc).__qualname__, raised_at(exc))
        rendered = msg % args if args else msg
        now = self.clock()
        with self._lock:
            self._flush_due(now)
            run = self._runs.get(key)
            if run is None:
                self._runs[key] = _Run(started=now, level=level)
            else:
                run.count += 1
                run.latest = rendered
                if run.timer is None:
                    run.timer = self._schedule(key, run.started + self.interval - now)
        if run is None:
            exc_info = (type(exc), exc, exc.__traceback__) if traceback else None
            self.logger.log(level, msg, *args, exc_info=exc_info)
        else:
            self.logger.debug("%s (repeated, counted: %s)", rendered, _describe(key))

    def flush(self) -> None:
        """Write the summaries of the intervals that are over."""
        with self._lock:
            self._flush_due(self.clock())

    def reset(self) -> None:
        """Forget every failure seen (tests)."""
        with self._lock:
            for run in self._runs.values():
                if run.timer is not None:
                    run.timer.cancel()
            self._runs.clear()

    def _flush_due(self, now: float) -> None:
        for key, run in list(self._runs.items()):
            if now - run.started >= self.interval:
                self._end_interval(key, run, now)

    def _end_interval(self, key: Key, run: _Run, now: float) -> None:
        if run.timer is not None:
            run.timer.cancel()
            run.timer = None
        if run.count == 0:  # a quiet interval: the next occurrence is news again
            del self._runs[key]
            return
        self.logger.log(
            run.level,
            "… %d more in the last %.3g s: %s; latest: %s",
            run.count,
            now - run.started,
            _describe(key),
            run.latest,
        )
        # The failure goes on: count the next interval, without logging a traceback again.
        run.started, run.count = now, 0

    def _schedule(self, key: Key, delay: float) -> asyncio.TimerHandle | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop in this thread: the next occurrence writes the summary
            return None
        return loop.call_later(max(0.0, delay), self._timer_fired, key)

    def _timer_fired(self, key: Key) -> None:
        # Ends the interval even if the loop's timer fired a hair early by this clock.
        with self._lock:
            run = self._runs.get(key)
            if run is not None:
                run.timer = None
                self._end_interval(key, run, max(self.clock(), run.started + self.interval))


def _describe(key: Key) -> str:
    _, kind, where = key
    return f"{kind} at {where}"
