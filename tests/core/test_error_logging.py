"""An unexpected failure repeated by every request is logged once in full, then counted."""

from __future__ import annotations

import logging

import pytest

from resolvers import accounts
from schema import masking
from storage.logthrottle import LogThrottle
from tests.factories import SignIn
from tests.utils import GraphQLClient


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_the_same_unexpected_error_is_logged_once_with_its_traceback_then_counted(
    gql: GraphQLClient,
    sign_in: SignIn,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given: a resolver failing the same way for every request, as during an outage
    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("connection pool exhausted")

    async def broken_elsewhere(*_: object, **__: object) -> None:
        raise RuntimeError("connection pool exhausted")

    clock = Clock()
    monkeypatch.setattr(masking, "_unexpected", LogThrottle(masking.log, clock=clock))
    monkeypatch.setattr(accounts, "list_sessions", broken)
    shopper = await sign_in()
    caplog.set_level(logging.INFO, logger=masking.log.name)

    # when
    replies = [await gql.post("{ sessions { id } }", token=shopper.token) for _ in range(6)]

    # then: each request is masked with its own id, but one traceback is logged, the first's
    assert all(reply.codes == ["INTERNAL_SERVER_ERROR"] for reply in replies)
    logged = [r for r in caplog.records if r.name == masking.log.name]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert replies[0].request_id in logged[0].getMessage()

    # when: another failure, raised elsewhere, comes along
    monkeypatch.setattr(accounts, "list_sessions", broken_elsewhere)
    other = await gql.post("{ sessions { id } }", token=shopper.token)

    # then: it is news, and logged in full
    logged = [r for r in caplog.records if r.name == masking.log.name]
    assert len(logged) == 2
    assert other.request_id in logged[1].getMessage()
    assert logged[1].exc_info is not None

    # when: the minute is over
    clock.now += 60
    masking._unexpected.flush()

    # then: a summary counts the five not logged, naming the latest request
    summary = [r for r in caplog.records if r.name == masking.log.name][-1]
    assert summary.levelno == logging.ERROR
    assert summary.exc_info is None
    assert summary.getMessage().startswith("… 5 more in the last 60 s: RuntimeError at ")
    assert replies[-1].request_id in summary.getMessage()
