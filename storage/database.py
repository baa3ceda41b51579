"""Tortoise configuration and per-request SQL statement counting."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tortoise import Tortoise
from tortoise.exceptions import DBConnectionError

POSTGRES_POOL_MAX = 10


def tortoise_config(database_url: str, model_modules: Sequence[str]) -> dict[str, Any]:
    _ensure_sqlite_directory(database_url)
    return {
        "connections": {"default": _with_pool_size(database_url)},
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


def _with_pool_size(url: str) -> str:
    if not url.startswith("postgres"):
        return url
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.setdefault("minsize", "1")
    query.setdefault("maxsize", str(POSTGRES_POOL_MAX))
    return urlunsplit(parts._replace(query=urlencode(query)))


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
        return f"no answer within {PREFLIGHT_TIMEOUT_SECONDS:g} s"
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
