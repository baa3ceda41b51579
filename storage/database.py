"""Tortoise configuration and per-request SQL statement counting."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.exceptions import BaseORMException, DBConnectionError

POSTGRES_POOL_MAX = 10
# The client-side limit on a statement is this much longer than the server's statement_timeout,
# so a server that answers cancels the statement itself (the connection stays usable), and the
# client's limit only fires when the server or the network does not answer at all.
CLIENT_TIMEOUT_MARGIN_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class DatabaseTimeouts:
    """Bounded waits on PostgreSQL (DATABASE_*_TIMEOUT_SECONDS); SQLite has no server to wait on.

    `statement` None leaves statements unbounded: migrations (a long CREATE INDEX) use that.
    """

    connect: float = 5.0
    statement: float | None = 10.0
    pool: float = 5.0


def tortoise_config(
    database_url: str, model_modules: Sequence[str], timeouts: DatabaseTimeouts | None = None
) -> dict[str, Any]:
    _ensure_sqlite_directory(database_url)
    connection: str | dict[str, Any] = database_url
    if database_url.startswith("postgres"):
        connection = _postgres_connection(database_url, timeouts or DatabaseTimeouts())
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {
                "models": list(model_modules),
                "default_connection": "default",
                "migrations": "models.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _ensure_sqlite_directory(url: str) -> None:
    # aiosqlite waits forever (instead of failing) when the file's directory is missing.
    if url.startswith("sqlite://") and url != "sqlite://:memory:":
        Path(url[len("sqlite://") :].split("?", 1)[0]).parent.mkdir(parents=True, exist_ok=True)


def _postgres_connection(url: str, timeouts: DatabaseTimeouts) -> dict[str, Any]:
    """Tortoise's reading of the URL, on our engine (storage/postgres.py), with bounded waits.

    Settings are passed as credentials rather than URL parameters, which tortoise would hand to
    asyncpg as strings, and which cannot carry server_settings. What the URL itself says wins.
    """
    credentials: dict[str, Any] = expand_db_url(url)["credentials"]
    credentials.setdefault("minsize", 1)
    credentials.setdefault("maxsize", POSTGRES_POOL_MAX)
    credentials.setdefault("timeout", timeouts.connect)  # asyncpg's connect; its default is 60 s
    credentials["acquire_timeout"] = timeouts.pool
    if timeouts.statement is not None:
        credentials.setdefault(
            "command_timeout", timeouts.statement + CLIENT_TIMEOUT_MARGIN_SECONDS
        )
        server_settings = dict(credentials.get("server_settings") or {})
        server_settings.setdefault("statement_timeout", str(round(timeouts.statement * 1000)))
        credentials["server_settings"] = server_settings
    return {"engine": "storage.postgres", "credentials": credentials}


# What says the database cannot be used right now, rather than that a query or the code is
# wrong. Each is worth retrying in a few seconds (schema/http.py answers 503 with Retry-After).
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    DBConnectionError,  # tortoise could not set up its connection pool
    asyncpg.PostgresConnectionError,  # class 08: could not connect, or the connection is gone
    asyncpg.CannotConnectNowError,  # 57P03: starting up, shutting down, in recovery
    asyncpg.AdminShutdownError,  # 57P01: a restart or a fast shutdown cut the connection
    asyncpg.CrashShutdownError,  # 57P02: another backend crashed and took this one with it
    asyncpg.TooManyConnectionsError,  # 53300: no connection slot left on the server
    asyncpg.QueryCanceledError,  # 57014: statement_timeout (DATABASE_STATEMENT_TIMEOUT_SECONDS)
)


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` means the database is down, unreachable or not answering in time.

    Besides the errors above: an OSError (refused, reset, unreachable) or TimeoutError (connect,
    pool acquire, statement) raised inside asyncpg. The same types raised elsewhere (a media
    file, an S3 call, a timeout of our own) are not the database's, so where they were raised is
    what decides. The one place both the HTTP layer and the error masking ask.
    """
    for error in _chain(exc):
        if isinstance(error, _UNAVAILABLE) or _cut_by_the_server(error):
            return True
        if isinstance(error, OSError) and _raised_in_driver(error.__traceback__):
            return True  # TimeoutError is an OSError
    return False


# asyncpg's protocol in state 2, PROTOCOL_ERROR_CONSUME, with no query of ours running: it is
# reading an error the server sent unprompted, the FATAL a shutdown or restart sends to every
# connection. A statement sent on it, or the reset after one, fails with this instead.
_ERROR_CONSUME = re.compile(r"cannot switch to state \d+; another operation \(2\) is in progress")


def _cut_by_the_server(error: BaseException) -> bool:
    return type(error) is asyncpg.exceptions.InternalClientError and bool(
        _ERROR_CONSUME.fullmatch(str(error))
    )


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    # Follow what the driver or the ORM raised while handling a failure (a ROLLBACK on a
    # connection a timeout just cut, tortoise wrapping asyncpg), never past our own code: an
    # error in an except block of ours is ours.
    for _ in range(8):
        if exc is None:
            return
        yield exc
        if not isinstance(exc, asyncpg.exceptions.InterfaceError | BaseORMException):
            return
        exc = exc.__cause__ or exc.__context__


def _raised_in_driver(traceback: TracebackType | None) -> bool:
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if module == "asyncpg" or module.startswith("asyncpg."):
            return True
        traceback = traceback.tb_next
    return False


@dataclass(slots=True)
class StatementCount:
    value: int = 0


_current_count: ContextVar[StatementCount | None] = ContextVar("sql_statement_count", default=None)
_NOT_STATEMENTS = ("Created connection pool", "Closed connection pool")


class _StatementCounter(logging.Handler):
    """Counts tortoise's debug log lines, one per statement it sends, into the current request."""

    def emit(self, record: logging.LogRecord) -> None:
        count = _current_count.get()
        if count is None or str(record.msg).startswith(_NOT_STATEMENTS):
            return
        count.value += 1


_counter_handler = _StatementCounter(level=logging.DEBUG)


def enable_statement_counting() -> None:
    logger = logging.getLogger("tortoise.db_client")
    if _counter_handler not in logger.handlers:
        logger.addHandler(_counter_handler)
    logger.setLevel(logging.DEBUG)
    # The SQL debug lines are for counting only; do not let them reach the root log.
    logger.propagate = False


@contextmanager
def count_statements() -> Iterator[StatementCount]:
    """Counts statements sent by this task and every task it starts (DataLoader batches too)."""
    count = StatementCount()
    token = _current_count.set(count)
    try:
        yield count
    finally:
        _current_count.reset(token)


async def ping_database() -> None:
    """One round trip to the default connection, for readiness checks."""
    await Tortoise.get_connection("default").execute_query("SELECT 1")


PREFLIGHT_TIMEOUT_SECONDS = 10.0


async def database_problem(config: dict[str, Any], url: str) -> str | None:
    """Why the configured database cannot be used, in one line naming DATABASE_URL, or None.

    Run before a command starts, so an operator reads the cause instead of a traceback, and a
    worker or server never starts half-alive on a database it cannot reach.
    """
    try:
        async with asyncio.timeout(PREFLIGHT_TIMEOUT_SECONDS):
            await Tortoise.init(config=config)
            await ping_database()
    except Exception as exc:  # every failure here has the same remedy: fix DATABASE_URL
        return f"DATABASE_URL ({redact(url)}): {_reason(exc)}"
    finally:
        await Tortoise.close_connections()
    return None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        # asyncpg's connect timeout (DATABASE_CONNECT_TIMEOUT_SECONDS) is usually the shorter.
        return (
            "no answer in time (DATABASE_CONNECT_TIMEOUT_SECONDS, "
            f"at most {PREFLIGHT_TIMEOUT_SECONDS:g} s for this check)"
        )
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server running, on this host and port?)"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, DBConnectionError):
        return str(exc)
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return f"{type(exc).__name__}: {exc}"


def redact(url: str) -> str:
    """The URL without its password, fit for a log line."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return url.split("@", 1)[-1]
