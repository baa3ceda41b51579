"""Who sees an order and who may act on it: buyer, admins, the merchants of its lines."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.accounts import Role, User
from models.orders import Order, OrderLine
from resolvers.auth import require_scope, require_user
from resolvers.catalog import merchant_team_of
from resolvers.errors import NotFound
from resolvers.loading import forget
from resolvers.orders.loaders import lines_by_order, order_by_id, order_line_by_id
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


@dataclass(frozen=True, slots=True)
class OrderAccess:
    order: Order
    is_buyer: bool
    is_admin: bool
    merchant_ids: frozenset[int]  # merchants of the order's lines that the viewer manages

    @property
    def sees_everything(self) -> bool:
        return self.is_buyer or self.is_admin

    @property
    def visible_merchants(self) -> frozenset[int] | None:
        """None: every line; else only lines of these merchants."""
        return None if self.sees_everything else self.merchant_ids

    def shows(self, line: OrderLine) -> bool:
        merchants = self.visible_merchants
        return merchants is None or line.merchant_id in merchants

    def manages(self, merchant_id: int) -> bool:
        return self.is_admin or merchant_id in self.merchant_ids


async def order_access(ctx: Context, order: Order | None) -> OrderAccess | None:
    """How the caller relates to the order; None when they may not see it at all."""
    user = ctx.principal.user
    if order is None or user is None:
        return None
    is_admin = user.role is Role.ADMIN
    managed = await merchant_team_of(ctx, user)
    lines = await ctx.loaders[lines_by_order].load(order.id)
    mine = frozenset(line.merchant_id for line in lines) & managed
    if order.buyer_id != user.id and not is_admin and not mine:
        return None
    return OrderAccess(
        order=order, is_buyer=order.buyer_id == user.id, is_admin=is_admin, merchant_ids=mine
    )


async def visible_orders(ctx: Context, ids: Sequence[int]) -> list[OrderAccess | None]:
    """For order(id), node(id) and nodes: how the caller may see each order, if at all.
    Apps need read:orders."""
    if ctx.principal.user is None or Scope.READ_ORDERS not in ctx.principal.scopes:
        return [None] * len(ids)
    rows = await ctx.loaders[order_by_id].load_many(ids)
    # Together, so that every order's lines load in one batch.
    return list(await asyncio.gather(*(order_access(ctx, row) for row in rows)))


async def visible_order_lines(
    ctx: Context, ids: Sequence[int]
) -> list[tuple[OrderLine, OrderAccess] | None]:
    """Lines the caller may see, with their order's access: a merchant sees only its own."""
    rows = await ctx.loaders[order_line_by_id].load_many(ids)
    accesses = await visible_orders(ctx, [row.order_id for row in rows if row is not None])
    by_order = {access.order.id: access for access in accesses if access is not None}
    found: list[tuple[OrderLine, OrderAccess] | None] = []
    for row in rows:
        access = by_order.get(row.order_id) if row is not None else None
        shown = row is not None and access is not None and access.shows(row)
        found.append((row, access) if shown and row and access else None)
    return found


def merchant_actor(ctx: Context) -> User:
    """Merchant work (fulfilment, refunds): staff membership decides for people, whatever their
    role (as in the catalog); apps additionally need write:commerce."""
    if ctx.principal.is_app:
        return require_scope(ctx, Scope.WRITE_COMMERCE)
    return require_user(ctx)


async def order_for(ctx: Context, order_id: int, scope: Scope | None) -> OrderAccess:
    """The order the caller acts on: `scope` for buyers' steps, None for merchants' steps."""
    if scope is None:
        merchant_actor(ctx)
    else:
        require_scope(ctx, scope)
    access = await order_access(ctx, await ctx.loaders[order_by_id].load(order_id))
    if access is None:
        raise NotFound("Order")
    return access


def forget_order(ctx: Context, order_id: int) -> None:
    forget(ctx.loaders[order_by_id], order_id)
    forget(ctx.loaders[lines_by_order], order_id)
