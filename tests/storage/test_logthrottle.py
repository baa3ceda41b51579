"""A repeated failure is logged once with its traceback, then counted once per interval."""

from __future__ import annotations

import asyncio
import logging

import pytest

from storage.logthrottle import LogThrottle

logger = logging.getLogger("tests.logthrottle")


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def failing(kind: type[Exception] = RuntimeError) -> Exception:
    try:
        raise kind("Timeout reading from 127.0.0.1:6379")  # every call: the same line
    except Exception as exc:
        return exc


def other_place() -> Exception:
    try:
        raise RuntimeError("Timeout reading from 127.0.0.1:6379")
    except Exception as exc:
        return exc


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttle(clock: Clock) -> LogThrottle:
    return LogThrottle(logger, interval_seconds=60, clock=clock)


def test_the_first_occurrence_is_logged_with_its_traceback_the_next_ones_are_only_counted(
    throttle: LogThrottle, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=logger.name)

    for request in range(313):
        throttle.failure(logging.ERROR, failing(), "failed (request %s)", f"r{request}")
        clock.now += 0.1

    assert len(caplog.records) == 1
    first = caplog.records[0]
    assert first.levelno == logging.ERROR
    assert first.getMessage() == "failed (request r0)"
    assert first.exc_info is not None
    assert "Traceback" in caplog.text

    clock.now = 500.0 + 60
    throttle.flush()

    assert len(caplog.records) == 2
    summary = caplog.records[1]
    assert summary.levelno == logging.ERROR
    assert summary.exc_info is None
    message = summary.getMessage()
    assert message.startswith("… 312 more in the last 60 s: RuntimeError at ")
    assert "test_logthrottle.py" in message
    assert "latest: failed (request r312)" in message


def test_the_failure_going_on_is_counted_again_each_interval_without_a_traceback(
    throttle: LogThrottle, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=logger.name)
    throttle.failure(logging.WARNING, failing(), "down")
    for _ in range(3):  # three intervals of an outage, 10 occurrences each
        for _ in range(10):
            clock.now += 5
            throttle.failure(logging.WARNING, failing(), "down")
        clock.now += 10
        throttle.flush()

    messages = [record.getMessage() for record in caplog.records]
    assert messages[0] == "down"
    assert [message.split(":")[0] for message in messages[1:]] == [
        "… 10 more in the last 60 s",
        "… 10 more in the last 60 s",
        "… 10 more in the last 60 s",
    ]
    assert caplog.text.count("Traceback") == 1


def test_after_a_quiet_interval_the_same_failure_is_news_again(
    throttle: LogThrottle, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=logger.name)
    throttle.failure(logging.WARNING, failing(), "down")
    clock.now += 61

    throttle.failure(logging.WARNING, failing(), "down")

    assert [record.getMessage() for record in caplog.records] == ["down", "down"]
    assert all(record.exc_info for record in caplog.records)


def test_another_type_place_or_label_is_another_failure(
    throttle: LogThrottle, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=logger.name)

    throttle.failure(logging.WARNING, failing(), "down")
    throttle.failure(logging.WARNING, failing(ValueError), "down")
    throttle.failure(logging.WARNING, other_place(), "down")
    throttle.failure(logging.WARNING, failing(), "down", label="another limit")
    throttle.failure(logging.WARNING, failing(), "down")  # the first again: counted

    assert len(caplog.records) == 4
    assert caplog.text.count("Traceback") == 4


def test_repeats_are_logged_one_line_each_at_debug(
    throttle: LogThrottle, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=logger.name)

    throttle.failure(logging.ERROR, failing(), "failed (request %s)", "r1")
    throttle.failure(logging.ERROR, failing(), "failed (request %s)", "r2")

    assert caplog.records[1].levelno == logging.DEBUG
    assert caplog.records[1].getMessage().startswith("failed (request r2) (repeated, counted: ")
    assert caplog.records[1].exc_info is None


async def test_the_summary_is_written_when_the_interval_ends_even_if_nothing_fails_after(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=logger.name)
    throttle = LogThrottle(logger, interval_seconds=0.05)
    for _ in range(4):
        throttle.failure(logging.WARNING, failing(), "down")

    await asyncio.sleep(0.2)  # nothing else fails: the loop's timer writes the summary

    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert messages[0] == "down"
    assert messages[1].startswith("… 3 more in the last 0.0")
    throttle.reset()
