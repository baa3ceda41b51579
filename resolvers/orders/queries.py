"""Order listings: the buyer's own orders and a merchant's orders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.expressions import Subquery

from models.orders import Order, OrderLine, OrderStatus
from resolvers.auth import require_scope
from resolvers.catalog import manages_merchant
from resolvers.errors import Forbidden
from resolvers.pagination import Page, PageArgs, paginate_query
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


async def buyer_orders(ctx: Context, *, status: OrderStatus | None, args: PageArgs) -> Page[Order]:
    user = require_scope(ctx, Scope.READ_ORDERS)
    query = Order.filter(buyer_id=user.id)
    if status is not None:
        query = query.filter(status=status)
    return await paginate_query(query, args)


async def merchant_orders(
    ctx: Context, *, merchant_id: int, status: OrderStatus | None, args: PageArgs
) -> Page[Order]:
    """Orders with lines of this merchant, for its owner, staff and admins."""
    user = require_scope(ctx, Scope.READ_ORDERS)
    if not await manages_merchant(ctx, user, merchant_id):
        raise Forbidden("Only this merchant's owner, staff or an admin can see its orders.")
    query = Order.filter(
        id__in=Subquery(OrderLine.filter(merchant_id=merchant_id).values("order_id"))
    )
    if status is not None:
        query = query.filter(status=status)
    return await paginate_query(query, args)
