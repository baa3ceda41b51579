"""Automatic persisted queries, as Apollo Client's persisted-queries link speaks them.

A client first sends only `extensions.persistedQuery.sha256Hash`; on PERSISTED_QUERY_NOT_FOUND
it sends the query with the hash, and the server stores the text under the hash once the
document has passed every check (parse, validation, depth, aliases, cost), before it runs.
Trusted documents (resolvers/documents.py) stay the strict mode: an admin registers them, and
with ANONYMOUS_TRUSTED_DOCUMENTS_ONLY anonymous callers may run nothing else, so they cannot
register here either and their hashes resolve to trusted documents only.

APQ saves bandwidth and nothing more, so Redis is only a cache: when it cannot be reached a
hash is not found, the client sends the full query, and that runs without being stored.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from resolvers import budget, documents, ratelimit
from resolvers.errors import RateLimited
from storage.cache import RedisSkipped
from storage.logthrottle import LogThrottle

if TYPE_CHECKING:
    from resolvers.context import Context, Services

log = logging.getLogger(__name__)
HASH = re.compile(r"^[0-9a-f]{64}$")
# With Redis down every APQ request would log the same warning: once, then a count a minute.
_unavailable = LogThrottle(log)


def query_hash(text: str) -> str:
    """The hash the link sends: SHA-256 of the text's UTF-8 bytes, in lowercase hex."""
    return hashlib.sha256(text.encode()).hexdigest()


def _key(services: Services, sha: str) -> str:
    return services.keys("apq", sha)


async def lookup(services: Services, sha: str, *, trusted_only: bool) -> str | None:
    """The text registered under `sha`: stored by APQ (unless `trusted_only`), else a trusted
    document of the same text, whose id is the same hash. A hit keeps an APQ entry for another
    APQ_TTL_SECONDS, so documents in use do not expire."""
    if not trusted_only:
        try:
            with services.redis_breaker.guard():
                stored = await services.redis.getex(
                    _key(services, sha), ex=services.settings.apq_ttl_seconds
                )
        except RedisError as exc:
            _warn(exc, "persisted queries not looked up: Redis unreachable (%s)")
            stored = None
        if stored is not None:
            return bytes(stored).decode()
    return await documents.document_text("sha256:" + sha)


async def register(ctx: Context, sha: str, text: str) -> bool:
    """Store a document that passed every check under its hash; whether it is stored now.

    Each attempt counts toward the caller's APQ_REGISTRATIONS_PER_HOUR, so registering cannot
    fill Redis faster than that; past it, and for documents over APQ_MAX_DOCUMENT_BYTES, the
    operation still runs (it pays its cost as any other) but is not stored. Concurrent
    registrations of one text store it once (SET NX).
    """
    settings = ctx.settings
    if len(text.encode()) > settings.apq_max_document_bytes:
        return False
    try:
        await ratelimit.consume(
            ctx,
            "apq-register",
            budget.budget_subject(ctx),
            limit=settings.apq_registrations_per_hour,
            window_seconds=3600,
            message="Too many persisted queries registered; they run without being stored.",
        )
    except RateLimited:
        return False
    try:
        with ctx.redis_breaker.guard():
            stored = await ctx.redis.set(
                _key(ctx.services, sha), text.encode(), ex=settings.apq_ttl_seconds, nx=True
            )
    except RedisError as exc:
        _warn(exc, "persisted query not stored: Redis unreachable (%s)")
        return False
    return bool(stored)


def _warn(exc: RedisError, message: str) -> None:
    _unavailable.failure(
        logging.WARNING,
        exc,
        message,
        exc,
        # The breaker logged the failure that opened it; its own frames say nothing.
        traceback=not isinstance(exc, RedisSkipped),
    )
