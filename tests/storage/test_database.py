"""storage/database.py without a running app: what counts as the database being unavailable, and
the bounded waits the tortoise configuration carries."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import asyncpg
import pytest
from tortoise.exceptions import DBConnectionError, IntegrityError

from storage.database import DatabaseTimeouts, is_database_unavailable, tortoise_config
from storage.postgres import BoundedPool

InternalClientError = asyncpg.exceptions.InternalClientError
CONSUMING_AN_ERROR = "another operation (2) is in progress"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextlib.asynccontextmanager
async def _silent_server() -> AsyncIterator[int]:
    """Accepts connections and never says a word: a frozen PostgreSQL."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in held:
            writer.transport.abort()
        server.close()
        await server.wait_closed()


async def _raised(coroutine: object) -> BaseException:
    try:
        await coroutine  # type: ignore[misc]
    except Exception as exc:
        return exc
    pytest.fail("expected an exception")


async def test_a_refused_connection_from_the_driver_is_unavailability() -> None:
    exc = await _raised(asyncpg.connect(host="127.0.0.1", port=_free_port(), timeout=2))

    assert isinstance(exc, ConnectionRefusedError)
    assert is_database_unavailable(exc)


async def test_a_connect_timeout_from_the_driver_is_unavailability() -> None:
    async with _silent_server() as port:
        exc = await _raised(asyncpg.connect(host="127.0.0.1", port=port, timeout=0.2))

    assert isinstance(exc, TimeoutError)
    assert is_database_unavailable(exc)


async def test_the_same_types_raised_elsewhere_are_not_the_databases() -> None:
    async def own_timeout() -> None:
        async with asyncio.timeout(0):
            await asyncio.sleep(1)

    async def missing_file() -> None:
        open("/nonexistent/agora/file")  # noqa: ASYNC230, SIM115

    assert not is_database_unavailable(await _raised(own_timeout()))
    assert not is_database_unavailable(await _raised(missing_file()))
    assert not is_database_unavailable(ConnectionRefusedError(111, "Redis, say"))


@pytest.mark.parametrize(
    ("exc", "unavailable"),
    [
        (DBConnectionError("can't connect"), True),
        (asyncpg.ConnectionDoesNotExistError("connection was closed"), True),
        (asyncpg.CannotConnectNowError("the database system is starting up"), True),
        (asyncpg.AdminShutdownError("terminating connection"), True),
        (asyncpg.TooManyConnectionsError("too many clients"), True),
        (asyncpg.QueryCanceledError("canceling statement due to statement timeout"), True),
        (asyncpg.UniqueViolationError("duplicate key"), False),
        (IntegrityError("duplicate key"), False),
        (asyncpg.exceptions.InterfaceError("another operation is in progress"), False),
        # the protocol reading the FATAL a shutdown sends to idle connections (state 2) ...
        (InternalClientError(f"cannot switch to state 12; {CONSUMING_AN_ERROR}"), True),
        (InternalClientError(f"cannot switch to state 15; {CONSUMING_AN_ERROR}"), True),
        # ... not a connection used by two tasks at once (state 12, a query of ours)
        (
            InternalClientError("cannot switch to state 15; another operation (12) is in progress"),
            False,
        ),
        (asyncpg.exceptions.OutdatedSchemaCacheError("cached statement plan is invalid"), False),
        (ValueError("a bug"), False),
        (None, False),
    ],
)
def test_database_errors_by_type(exc: BaseException | None, unavailable: bool) -> None:
    assert is_database_unavailable(exc) is unavailable


def _raised_while_handling(outage: BaseException, error: BaseException) -> BaseException:
    """`error` as raised in an except block that caught `outage`: chained to it implicitly."""
    try:
        try:
            raise outage
        except type(outage):
            raise error  # noqa: B904  # the implicit chaining is what is tested
    except type(error) as exc:
        return exc


def test_a_driver_error_while_cleaning_up_after_an_outage_is_unavailability() -> None:
    # A ROLLBACK on the connection a dead server left behind fails in turn.
    cleanup = _raised_while_handling(
        asyncpg.ConnectionDoesNotExistError("connection was closed"),
        asyncpg.exceptions.InterfaceError("connection is closed"),
    )

    assert is_database_unavailable(cleanup)


def test_our_own_error_while_handling_an_outage_stays_ours() -> None:
    bug = _raised_while_handling(
        asyncpg.ConnectionDoesNotExistError("connection was closed"),
        KeyError("a bug in an except block"),
    )

    assert not is_database_unavailable(bug)


async def test_a_connection_the_server_cut_after_its_work_does_not_fail_that_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: asyncpg failing the reset that follows a statement (or a COMMIT) that went through,
    # as when a restart's FATAL arrives in between; it terminates the connection itself
    async def cut(*_: object, **__: object) -> None:
        raise InternalClientError(f"cannot switch to state 15; {CONSUMING_AN_ERROR}")

    monkeypatch.setattr(asyncpg.Pool, "release", cut)
    pool = BoundedPool.__new__(BoundedPool)

    # then: the caller, whose work is done, does not see it
    await pool.release(object())

    # but anything else still fails the caller
    async def bug(*_: object, **__: object) -> None:
        raise asyncpg.exceptions.InterfaceError("released to the wrong pool")

    monkeypatch.setattr(asyncpg.Pool, "release", bug)
    with pytest.raises(asyncpg.exceptions.InterfaceError):
        await pool.release(object())


def test_postgres_connections_carry_the_bounded_waits() -> None:
    config = tortoise_config(
        "postgres://agora:secret@db.internal:5433/agora",
        ["models.accounts"],
        DatabaseTimeouts(connect=3, statement=8, pool=2),
    )

    connection = config["connections"]["default"]
    assert connection["engine"] == "storage.postgres"
    credentials = connection["credentials"]
    assert credentials["host"] == "db.internal"
    assert credentials["port"] == 5433
    assert credentials["database"] == "agora"
    assert credentials["timeout"] == 3  # asyncpg's connect
    assert credentials["acquire_timeout"] == 2  # storage/postgres.py's pool
    # The server cancels first; the client's own limit is for a server that does not answer.
    assert credentials["server_settings"] == {"statement_timeout": "8000"}
    assert credentials["command_timeout"] == 9
    assert (credentials["minsize"], credentials["maxsize"]) == (1, 10)


def test_what_the_url_says_wins_and_migrations_have_no_statement_limit() -> None:
    config = tortoise_config(
        "postgres://agora@127.0.0.1/agora?maxsize=3&timeout=20",
        ["models.accounts"],
        DatabaseTimeouts(statement=None),
    )

    credentials = config["connections"]["default"]["credentials"]
    assert credentials["maxsize"] == "3"
    assert credentials["timeout"] == 20
    assert "command_timeout" not in credentials
    assert "server_settings" not in credentials


def test_sqlite_urls_are_left_alone(tmp_path: object) -> None:
    url = f"sqlite://{tmp_path}/agora.sqlite3"

    assert tortoise_config(url, ["models.accounts"])["connections"]["default"] == url
