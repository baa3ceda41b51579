"""Trusted documents: operations registered by an admin (at deploy time) and run by id.

A client sends `{"documentId": "sha256:<hex>", "variables": ...}` instead of the query text. The
id is the SHA-256 of the document's exact text, so it names one text forever: the server looks
it up once and keeps it in memory. With `ANONYMOUS_TRUSTED_DOCUMENTS_ONLY` on, anonymous callers
may run nothing else, which takes arbitrary hostile documents off the public surface while apps
and signed-in users, who are accountable and budgeted, keep free-form queries.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from models.accounts import Role
from models.documents import TrustedDocument
from resolvers.auth import require_role
from resolvers.errors import InvalidInput

if TYPE_CHECKING:
    from resolvers.context import Context

Validator = Callable[[str], str | None]  # a document's text -> what is wrong with it, or None
DOCUMENT_ID = re.compile(r"^sha256:[0-9a-f]{64}$")
MAX_DOCUMENTS = 100  # per registration call
MAX_DOCUMENT_CHARS = 100_000
CACHE_SIZE = 2048

# id -> text. Ids are content hashes, so an entry can never go stale; only its size is bounded.
_cache: OrderedDict[str, str] = OrderedDict()
# id -> until when (monotonic) it is known to be missing: a client repeating an unknown id costs
# no SQL for a while. Short, so a document registered meanwhile is found soon.
_missing: OrderedDict[str, float] = OrderedDict()
MISSING_TTL_SECONDS = 30.0


def document_id(body: str) -> str:
    return "sha256:" + hashlib.sha256(body.encode()).hexdigest()


async def document_text(identifier: str) -> str | None:
    """The text registered under `identifier`, or None (also for a malformed id, without SQL)."""
    if not DOCUMENT_ID.match(identifier):
        return None
    if identifier in _cache:
        _cache.move_to_end(identifier)
        return _cache[identifier]
    now = time.monotonic()
    if _missing.get(identifier, 0.0) > now:
        return None
    row = await TrustedDocument.get_or_none(id=identifier)
    if row is None:
        _missing[identifier] = now + MISSING_TTL_SECONDS
        if len(_missing) > CACHE_SIZE:
            _missing.popitem(last=False)
        return None
    _missing.pop(identifier, None)
    _cache[identifier] = row.body
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return row.body


async def register_documents(ctx: Context, bodies: Sequence[str], validate: Validator) -> list[str]:
    """Admin: store documents that `validate` accepts (it returns an error message or None).

    All or nothing: one bad document rejects the call, naming its position. Registering a
    document again is a no-op that returns the same id.
    """
    user = require_role(ctx, Role.ADMIN)
    return await store_documents(bodies, validate, registered_by_id=user.id)


async def store_documents(
    bodies: Sequence[str], validate: Validator, *, registered_by_id: int | None
) -> list[str]:
    """register_documents without the caller check: also what `main.py documents register` runs."""
    if not 1 <= len(bodies) <= MAX_DOCUMENTS:
        raise InvalidInput("documents", f"Register 1-{MAX_DOCUMENTS} documents at a time.")
    for position, body in enumerate(bodies):
        field = f"documents[{position}]"
        if not body.strip() or len(body) > MAX_DOCUMENT_CHARS:
            raise InvalidInput(field, f"A document is 1-{MAX_DOCUMENT_CHARS} characters.")
        problem = validate(body)
        if problem is not None:
            raise InvalidInput(field, problem)
    ids = [document_id(body) for body in bodies]
    known = {row.id for row in await TrustedDocument.filter(id__in=ids).only("id")}
    fresh = {i: body for i, body in zip(ids, bodies, strict=True) if i not in known}
    if fresh:
        await TrustedDocument.bulk_create(
            [
                TrustedDocument(id=i, body=body, registered_by_id=registered_by_id)
                for i, body in fresh.items()
            ],
            ignore_conflicts=True,  # a concurrent registration of the same text is the same row
        )
    for identifier in ids:
        _missing.pop(identifier, None)  # this process may run it at once
    return ids
