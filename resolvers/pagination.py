"""Cursor pagination (Relay): first/after, last/before, keyset on a query or over a short list.

Cursors are opaque to clients; inside they are the row id, so pages stay stable while rows
are inserted (no OFFSET drift) and a page costs one indexed query.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from resolvers.errors import InvalidInput

T = TypeVar("T", bound=Model)
# The row type of a page, for code that must not import tortoise itself (schema/).
Row = TypeVar("Row", bound=Model)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_CURSOR_PREFIX = "c:"
# Ids and sort values are BIGINT (or narrower) columns: a cursor holding a number outside this
# range was not issued here, and the driver cannot even send it (a masked internal error).
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


def _is_bigint(value: object) -> bool:
    # bool is an int to Python, not to SQL.
    return type(value) is int and BIGINT_MIN <= value <= BIGINT_MAX


def _is_row_id(value: object) -> bool:
    return type(value) is int and 0 < value <= BIGINT_MAX


@dataclass(frozen=True, slots=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: list[T]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]

    def cursor(self, row: T) -> str:
        return encode_cursor(row.pk)

    @property
    def start_cursor(self) -> str | None:
        return self.cursor(self.rows[0]) if self.rows else None

    @property
    def end_cursor(self) -> str | None:
        return self.cursor(self.rows[-1]) if self.rows else None


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{row_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, argument: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        if text.startswith(_CURSOR_PREFIX):
            row_id = int(text[len(_CURSOR_PREFIX) :])
            if _is_row_id(row_id):
                return row_id
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidInput(argument, f"`{argument}` is not a cursor this API issued.")


def check_page_args(args: PageArgs) -> tuple[int, bool]:
    """The page size and whether we page backwards; rejects bad input before any SQL."""
    if args.first is not None and args.last is not None:
        raise InvalidInput(None, "Pass either `first` or `last`, not both.")
    for name, value in (("first", args.first), ("last", args.last)):
        if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
            raise InvalidInput(
                name, f"`{name}` must be between 0 and {MAX_PAGE_SIZE}; got {value}."
            )
    if args.last is not None:
        return args.last, True
    return (args.first if args.first is not None else DEFAULT_PAGE_SIZE), False


async def paginate_query(queryset: QuerySet[T], args: PageArgs) -> Page[T]:
    """Newest first (id descending), keyset on id."""
    size, backwards = check_page_args(args)
    after = decode_cursor(args.after, "after") if args.after else None
    before = decode_cursor(args.before, "before") if args.before else None
    window = queryset
    if after is not None:
        window = window.filter(id__lt=after)
    if before is not None:
        window = window.filter(id__gt=before)
    ordered = window.order_by("id" if backwards else "-id")
    rows = list(await ordered.limit(size + 1)) if size else []
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return Page(
        rows=rows,
        has_next_page=has_more if not backwards else before is not None,
        has_previous_page=has_more if backwards else after is not None,
        count=queryset.count,
    )


def paginate_list(rows: Sequence[T], args: PageArgs) -> Page[T]:
    """The same contract over a short list already loaded (through a DataLoader), newest first."""
    size, backwards = check_page_args(args)
    after = decode_cursor(args.after, "after") if args.after else None
    before = decode_cursor(args.before, "before") if args.before else None
    ordered = sorted(rows, key=lambda row: row.pk, reverse=True)
    window = [
        row
        for row in ordered
        if (after is None or row.pk < after) and (before is None or row.pk > before)
    ]
    if backwards:
        selected = window[-size:] if size else []
        has_more = len(window) > size
    else:
        selected = window[:size]
        has_more = len(window) > size
    total = len(rows)

    async def count() -> int:
        return total

    return Page(
        rows=selected,
        has_next_page=has_more if not backwards else before is not None,
        has_previous_page=has_more if backwards else after is not None,
        count=count,
    )


# ---- keyset over a sort key --------------------------------------------------------------------

_SORT_PREFIX = "k:"


@dataclass(frozen=True, slots=True)
class SortKey:
    """Order by `field` (a column or an annotation holding an int or str), then by id.

    `kind` is the type of its values: a cursor holding another one (a string where the column
    is a number) is refused before it reaches SQL, which would fail on it."""

    field: str
    descending: bool = True
    kind: type[int] | type[str] = int


def encode_sort_cursor(value: int | str, row_id: int) -> str:
    payload = _SORT_PREFIX + json.dumps([value, row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_sort_cursor(cursor: str, argument: str, key: SortKey) -> tuple[int | str, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        if text.startswith(_SORT_PREFIX):
            value, row_id = json.loads(text[len(_SORT_PREFIX) :])
            fits = _is_bigint(value) if key.kind is int else _is_text(value)
            if fits and _is_row_id(row_id):
                return value, row_id
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        pass
    raise InvalidInput(argument, f"`{argument}` is not a cursor this API issued.")


def _is_text(value: object) -> bool:
    # Base64 hides it from the request's NUL check (schema/text.py); the database refuses it.
    return isinstance(value, str) and "\x00" not in value


@dataclass(frozen=True, slots=True)
class SortedPage(Page[T]):
    key: SortKey = SortKey("id")

    def cursor(self, row: T) -> str:
        return encode_sort_cursor(getattr(row, self.key.field), row.pk)


def _beyond(key: SortKey, value: int | str, row_id: int, *, forward: bool) -> Q:
    """Rows after (value, id) in the page order, or before it when not `forward`."""
    later = key.descending == forward  # walking towards smaller values
    op = "lt" if later else "gt"
    past: dict[str, Any] = {f"{key.field}__{op}": value}
    tied: dict[str, Any] = {key.field: value, f"id__{op}": row_id}
    return Q(**past) | Q(**tied)


async def paginate_sorted(queryset: QuerySet[T], args: PageArgs, key: SortKey) -> SortedPage[T]:
    """Keyset pagination ordered by `key` then id; one query per page, stable under inserts."""
    size, backwards = check_page_args(args)
    window = queryset
    if args.after:
        window = window.filter(
            _beyond(key, *decode_sort_cursor(args.after, "after", key), forward=True)
        )
    if args.before:
        window = window.filter(
            _beyond(key, *decode_sort_cursor(args.before, "before", key), forward=False)
        )
    descending = key.descending != backwards
    prefix = "-" if descending else ""
    ordered = window.order_by(f"{prefix}{key.field}", f"{prefix}id")
    rows = list(await ordered.limit(size + 1)) if size else []
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return SortedPage(
        rows=rows,
        has_next_page=has_more if not backwards else args.before is not None,
        has_previous_page=has_more if backwards else args.after is not None,
        count=queryset.count,
        key=key,
    )
