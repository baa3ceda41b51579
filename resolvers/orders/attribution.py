"""Attribution totals: orders, units and GMV credited to a creator, a post or a share link."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tortoise.functions import Count, Sum

from models.accounts import Role
from models.attribution import SourceType
from models.orders import OrderLine
from resolvers.auth import require_scope
from resolvers.errors import Forbidden, InvalidInput
from resolvers.orders.status import SOLD_STATUSES
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

SHARE_CODE_MAX = 40  # order_lines.share_code


@dataclass(frozen=True, slots=True)
class AttributionTotals:
    orders: int
    units: int
    gmv: list[tuple[int, str]]  # (amount, currency), one per currency


async def _totals(**filters: Any) -> AttributionTotals:
    """One aggregate query over attributed lines of paid, not refunded orders."""
    return _summed(await _per_currency((), **filters))


async def _per_currency(by: tuple[str, ...], **filters: Any) -> list[dict[str, Any]]:
    """Orders, units and GMV of attributed lines of paid, not refunded orders, per currency
    (and per each of the `by` columns)."""
    return list(
        await OrderLine.filter(order__status__in=SOLD_STATUSES, **filters)
        .annotate(orders=Count("order_id", distinct=True), units=Sum("quantity"), gmv=Sum("total"))
        .group_by(*by, "order__currency")
        .order_by(*by, "order__currency")
        .values(*by, "order__currency", "orders", "units", "gmv")
    )


def _summed(rows: list[dict[str, Any]]) -> AttributionTotals:
    return AttributionTotals(
        orders=sum(int(row["orders"]) for row in rows),
        units=sum(int(row["units"] or 0) for row in rows),
        gmv=[(int(row["gmv"] or 0), str(row["order__currency"])) for row in rows],
    )


async def share_code_totals(codes: Sequence[str]) -> list[AttributionTotals]:
    """The totals of each share code, in order, in one query (the share links' loader).

    An order counts once per code even when several of its lines carry it; its lines with
    different codes count for each."""
    rows = await _per_currency(("share_code",), share_code__in=list(codes))
    by_code: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_code[row["share_code"]].append(row)
    return [_summed(by_code[code]) for code in codes]


async def creator_attribution(ctx: Context, *, creator_id: int) -> AttributionTotals:
    """Orders, units and GMV attributed to a creator: for the creator themself and admins."""
    user = require_scope(ctx, Scope.READ_ANALYTICS)
    if user.id != creator_id and user.role is not Role.ADMIN:
        raise Forbidden("Only the creator or an admin can see a creator's attribution.")
    return await _totals(creator_id=creator_id)


async def content_attribution(
    ctx: Context, *, source_type: SourceType, source_id: int | None, share_code: str | None
) -> AttributionTotals:
    """Totals for one piece of content (or share code). Admins see every line attributed to it;
    anyone else (with read:analytics) only the lines that name them as the creator."""
    user = require_scope(ctx, Scope.READ_ANALYTICS)
    filters: dict[str, Any] = {}
    if source_type is SourceType.SHARE_LINK:
        if not share_code:
            raise InvalidInput("shareCode", "Give the share code.")
        if len(share_code.strip()) > SHARE_CODE_MAX:  # the column's: the query would fail
            raise InvalidInput("shareCode", f"A share code is at most {SHARE_CODE_MAX} characters.")
        filters["share_code"] = share_code.strip()
    else:
        if source_id is None:
            raise InvalidInput("sourceId", "Give the source's id.")
        filters.update(source_type=source_type, source_id=source_id)
    if user.role is not Role.ADMIN:
        filters["creator_id"] = user.id
    return await _totals(**filters)
