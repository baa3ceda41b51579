"""A hung Redis costs one request one short timeout; then requests skip Redis and fail open
(budget not enforced, throttles off) until, after the cool-down, one request finds it back.

The Redis here is a private redis-server, stopped with SIGSTOP: it accepts connections but
never answers. Whether Redis was touched is counted at the client's connection pool, and the
breaker's clock is a fake one, so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import TimeoutError as RedisTimeoutError

from resolvers import accounts, budget
from resolvers.context import Services
from storage.cache import open_redis
from storage.logthrottle import LogThrottle
from tests.factories import PASSWORD, MakeUser
from tests.redis_server import PrivateRedis, private_redis
from tests.utils import GraphQLClient, Response

VIEWER = "{ viewer { id } }"
LOGIN = """
mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { __typename }
}
"""


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass(slots=True)
class Outage:
    server: PrivateRedis
    services: Services
    clock: Clock
    attempts: list[str]  # one entry per command the app sent towards Redis

    @property
    def breaker_state(self) -> str:
        return self.services.redis_breaker.state

    def after_cool_down(self) -> None:
        self.clock.now += self.services.settings.redis_breaker_cooldown_seconds


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PrivateRedis]:
    with private_redis(tmp_path) as started:
        yield started


@pytest.fixture
async def outage(running: Any, services: Services, server: PrivateRedis) -> AsyncIterator[Outage]:
    """The app on the private Redis, with the client main.py opens (REDIS_TIMEOUT_SECONDS)."""
    client = open_redis(server.url, timeout=services.settings.redis_timeout_seconds)
    attempts: list[str] = []
    _count_connections(client, attempts)
    private = replace(services, redis=client)
    clock = Clock(private.redis_breaker.clock())
    private.redis_breaker.clock = clock
    running.state["services"] = private
    try:
        yield Outage(server, private, clock, attempts)
    finally:
        running.state["services"] = services
        server.resume()
        await client.aclose()


def _count_connections(client: Redis, attempts: list[str]) -> None:
    # Every command and pipeline takes a connection from the pool first.
    pool = client.connection_pool
    take: Callable[..., Awaitable[Any]] = pool.get_connection  # untyped in redis-py

    async def counted(*args: Any, **kwargs: Any) -> Any:
        attempts.append("get_connection")
        return await take(*args, **kwargs)

    pool.get_connection = counted  # type: ignore[method-assign]


def charged(response: Response) -> bool:
    """The budget was enforced: the response shows the caller's bucket."""
    return "throttleStatus" in response.body["extensions"]["cost"]


async def test_a_hung_redis_costs_one_short_timeout_then_is_skipped_until_it_answers_again(
    gql: GraphQLClient, outage: Outage
) -> None:
    # given: Redis answers, and the budget is enforced
    assert charged(await gql.post(VIEWER))
    assert outage.attempts
    assert outage.breaker_state == "closed"
    outage.server.hang()
    outage.attempts.clear()

    # when: the first request meets the hung Redis
    first = await gql.post(VIEWER)

    # then: it failed open after the short timeout (a redis TimeoutError), and the breaker opened
    assert first.data == {"viewer": None}
    assert not first.errors
    assert not charged(first)
    assert len(outage.attempts) == 1
    assert isinstance(outage.services.redis_breaker.last_failure, RedisTimeoutError)
    timeout = outage.services.settings.redis_timeout_seconds
    assert outage.services.redis.connection_pool.connection_kwargs["socket_timeout"] == timeout
    assert outage.breaker_state == "open"

    # when: more requests come during the cool-down
    following = [await gql.post(VIEWER) for _ in range(10)]

    # then: they all fail open without touching Redis at all
    assert all(reply.data == {"viewer": None} and not charged(reply) for reply in following)
    assert len(outage.attempts) == 1
    assert outage.services.redis_breaker.rejected == 10

    # when: Redis answers again and the cool-down is over
    outage.server.resume()
    outage.after_cool_down()
    probe = await gql.post(VIEWER)

    # then: the probe used Redis, the breaker closed, and the budget is enforced again
    assert charged(probe)
    assert len(outage.attempts) == 2
    assert outage.breaker_state == "closed"
    assert charged(await gql.post(VIEWER))
    assert len(outage.attempts) == 3


async def test_a_probe_that_meets_the_still_hung_redis_opens_the_breaker_again(
    gql: GraphQLClient, outage: Outage
) -> None:
    outage.server.hang()
    await gql.post(VIEWER)
    outage.after_cool_down()
    outage.attempts.clear()

    probe = await gql.post(VIEWER)
    after = await gql.post(VIEWER)

    assert not charged(probe)
    assert not charged(after)
    assert len(outage.attempts) == 1  # the probe alone
    assert outage.breaker_state == "open"


async def test_sign_in_and_sign_up_skip_a_hung_redis_after_the_first_failure(
    gql: GraphQLClient, outage: Outage, make_user: MakeUser
) -> None:
    await make_user(handle="lin", email="lin@example.com")
    outage.server.hang()
    await gql.post(VIEWER)  # the failure that opens the breaker
    outage.attempts.clear()

    # the sign-in throttle (before and after the password check) and the sign-up limit
    login = await gql.data(LOGIN, {"email": "lin@example.com", "password": PASSWORD})
    wrong = await gql.data(LOGIN, {"email": "lin@example.com", "password": "not-the-password"})
    signup = await gql.post(
        'mutation { register(email: "ada@example.com", password: "analytical-engine-1", '
        'handle: "ada_l") { __typename } }'
    )

    assert login["login"]["__typename"] == "AuthSuccess"
    assert wrong["login"]["__typename"] == "InvalidCredentialsError"
    assert signup.data == {"register": {"__typename": "AuthSuccess"}}
    assert outage.attempts == []


async def test_readyz_names_redis_while_it_hangs_and_while_its_breaker_is_open(
    gql: GraphQLClient, http: Any, outage: Outage
) -> None:
    outage.server.hang()
    await gql.post(VIEWER)
    assert outage.breaker_state == "open"

    ready = await http.get("/readyz")

    assert ready.status_code == 503
    assert ready.json()["down"] == ["redis"]
    # the check asks Redis itself (a request's short timeout), whatever the breaker says
    assert ready.json()["checks"]["redis"] == "error: TimeoutError"

    outage.server.resume()
    assert (await http.get("/readyz")).status_code == 200


async def test_an_outage_logs_each_failure_once_then_counts_it(
    gql: GraphQLClient,
    outage: Outage,
    make_user: MakeUser,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock(1000.0)
    budget_log = LogThrottle(budget.log, clock=clock)
    login_log = LogThrottle(accounts.log, clock=clock)
    monkeypatch.setattr(budget, "_unavailable", budget_log)
    monkeypatch.setattr(accounts, "_unavailable", login_log)
    await make_user(handle="lin", email="lin@example.com")
    caplog.set_level(logging.INFO)
    outage.server.hang()

    for _ in range(20):
        await gql.post(VIEWER)
    for _ in range(3):
        await gql.data(LOGIN, {"email": "lin@example.com", "password": PASSWORD})

    warnings = [r for r in caplog.records if r.name == budget.log.name]
    # the timeout that opened the breaker, with its traceback, then the first request it
    # skipped, without (the breaker's own frames); not 23 lines
    assert len(warnings) == 2
    assert warnings[0].exc_info is not None
    assert isinstance(warnings[0].exc_info[1], RedisTimeoutError)
    assert "Redis skipped" in warnings[1].getMessage()
    assert warnings[1].exc_info is None
    throttle_warnings = [r for r in caplog.records if r.name == accounts.log.name]
    assert len(throttle_warnings) == 1  # 6 skipped calls (reserve, release) for 3 sign-ins
    breaker_warnings = [r.getMessage() for r in caplog.records if r.name == "storage.breaker"]
    assert len(breaker_warnings) == 1
    assert breaker_warnings[0].startswith("Redis failed (TimeoutError: Timeout reading from")

    clock.now += 60
    budget_log.flush()
    login_log.flush()

    # Only these two throttles' summaries: another module's throttle (its clock real, its
    # window opened by an earlier test) may flush a summary of its own during this one.
    mine = (budget.log.name, accounts.log.name)
    summaries = [
        r.getMessage() for r in caplog.records if r.name in mine and r.getMessage().startswith("…")
    ]
    assert sorted(summary.split(":")[0] for summary in summaries) == [
        "… 21 more in the last 60 s",  # 23 charges: a timeout, 22 skipped, the first logged
        "… 5 more in the last 60 s",
    ]
