"""`Product.mentionedIn`: the published posts and tutorials that use a product, newest first.

Posts count when they tag the product; tutorials when they use it anywhere (parts list, a
step's products, a tag: the `tutorial_products` index). The two kinds live in two tables, so a
page is the merge of two keyset queries, each asking for one more row than the page: the
cursor is (published_at in microseconds, kind, id), a total order across both tables that
stays stable while content is published.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from models.content import Post, PostStatus, Tutorial, TutorialProduct, TutorialStatus
from resolvers.content.access import in_readable_communities
from resolvers.content.shoppable import tagging_posts
from resolvers.errors import InvalidInput
from resolvers.pagination import BIGINT_MAX, Page, PageArgs, check_page_args

if TYPE_CHECKING:
    from resolvers.context import Context

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PREFIX = "m:"
# The kind's rank is part of the order: at one published_at, tutorials before posts (the
# order is descending), each kind newest id first.
KINDS: tuple[type[Post] | type[Tutorial], ...] = (Post, Tutorial)

Mention = Post | Tutorial
Key = tuple[int, int, int]  # (published_at µs, kind rank, id)


def _micros(moment: datetime | None) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1) if moment is not None else 0


def _key(row: Mention) -> Key:
    return (_micros(row.published_at), KINDS.index(type(row)), row.id)


def encode_mention_cursor(row: Mention) -> str:
    payload = _PREFIX + json.dumps(list(_key(row)), separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_mention_cursor(cursor: str, argument: str) -> Key:
    try:
        text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        if text.startswith(_PREFIX):
            micros, rank, row_id = json.loads(text[len(_PREFIX) :])
            fits = all(type(n) is int for n in (micros, rank, row_id))
            if fits and 0 <= micros <= BIGINT_MAX and rank in (0, 1) and 0 < row_id <= BIGINT_MAX:
                return micros, rank, row_id
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        pass
    raise InvalidInput(argument, f"`{argument}` is not a cursor this API issued.")


@dataclass(frozen=True, slots=True)
class MentionPage(Page[Mention]):
    """Rows are Posts and Tutorials; their cursors hold the merged order's key."""

    def cursor(self, row: Mention) -> str:
        return encode_mention_cursor(row)


def _beyond(rank: int, key: Key, *, older: bool) -> Q:
    """This kind's rows past `key` in the merged order: older (smaller keys) or newer."""
    micros, key_rank, row_id = key
    moment = EPOCH + timedelta(microseconds=micros)
    op = "lt" if older else "gt"
    strictly: dict[str, Any] = {f"published_at__{op}": moment}
    if rank == key_rank:
        tied: dict[str, Any] = {"published_at": moment, f"id__{op}": row_id}
        return Q(**strictly) | Q(**tied)
    if (rank < key_rank) == older:  # the whole tie at `moment` lies past the key
        with_tie: dict[str, Any] = {f"published_at__{op}e": moment}
        return Q(**with_tie)
    return Q(**strictly)


def _published(ctx: Context, kind: type[Mention], product_id: int) -> QuerySet[Any]:
    if kind is Post:
        posts = Post.filter(
            status=PostStatus.PUBLISHED, hidden_at__isnull=True, id__in=tagging_posts(product_id)
        )
        return in_readable_communities(ctx, posts)
    using = Subquery(TutorialProduct.filter(product_id=product_id).values("tutorial_id"))
    return Tutorial.filter(status=TutorialStatus.PUBLISHED, hidden_at__isnull=True, id__in=using)


async def mentioned_in(ctx: Context, *, product_id: int, args: PageArgs) -> MentionPage:
    """Published posts and tutorials using the product, newest first. Drafts never, not even
    for their author: this is the product page's public list."""
    size, backwards = check_page_args(args)
    after = decode_mention_cursor(args.after, "after") if args.after else None
    before = decode_mention_cursor(args.before, "before") if args.before else None
    sources = [(rank, _published(ctx, kind, product_id)) for rank, kind in enumerate(KINDS)]
    found: list[Mention] = []
    for rank, query in sources if size else []:
        window = query
        if after is not None:
            window = window.filter(_beyond(rank, after, older=True))
        if before is not None:
            window = window.filter(_beyond(rank, before, older=False))
        order = ("published_at", "id") if backwards else ("-published_at", "-id")
        found += await window.order_by(*order).limit(size + 1)
    found.sort(key=_key, reverse=not backwards)
    has_more = len(found) > size
    rows = found[:size]
    if backwards:
        rows.reverse()

    async def count() -> int:
        return sum([await query.count() for _, query in sources])

    return MentionPage(
        rows=list(rows),
        has_next_page=has_more if not backwards else before is not None,
        has_previous_page=has_more if backwards else after is not None,
        count=count,
    )
