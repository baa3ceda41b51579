"""The in-process counts the rate limits fall back on while Redis cannot be reached."""

from __future__ import annotations

from resolvers.ratelimit import LocalCounts


def test_local_counts_hold_every_limit_of_one_attempt_and_expire_with_the_window() -> None:
    now = [100.0]
    counts = LocalCounts(clock=lambda: now[0])
    limits = [("email", 2), ("address", 3)]

    assert counts.reserve(limits, 60) == (True, 0)
    assert counts.reserve(limits, 60) == (True, 0)
    assert counts.reserve(limits, 60) == (False, 60)  # the email is at its limit
    assert counts.reserve([("address", 3)], 60) == (True, 0)  # the address had room for one
    assert counts.reserve([("address", 3)], 60)[0] is False

    counts.release("address")
    assert counts.reserve([("address", 3)], 60)[0] is True

    now[0] += 61  # the window has passed
    assert counts.reserve(limits, 60) == (True, 0)


def test_local_counts_reset_and_prune() -> None:
    now = [0.0]
    counts = LocalCounts(clock=lambda: now[0])
    counts.PRUNE_AT = 2
    for key in ("a", "b", "c"):
        counts.reserve([(key, 1)], 10)
    counts.reset("a")
    assert counts.reserve([("a", 1)], 10)[0] is True

    now[0] = 20.0
    counts.reserve([("d", 1)], 10)  # past PRUNE_AT: the expired windows go
    assert set(counts._counts) == {"d"}
