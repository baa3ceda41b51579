"""Merging an anonymous visitor's cart into the user's cart at sign-in."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from models.accounts import User
from models.carts import Cart, CartLine, CartStatus
from models.catalog import Variant
from resolvers.carts.access import open_cart_of
from resolvers.carts.attribution import Attribution
from resolvers.carts.lines import MAX_LINES
from resolvers.tokens import TokenKind, parse_token

log = logging.getLogger(__name__)


async def merge_anonymous_cart(user: User, cart_token: str) -> Cart | None:
    """Fold an anonymous cart into the user's open cart; None when the token finds no open cart.

    Quantities add up, capped at current stock (never lowering what the user already had);
    an anonymous line's attribution is kept when the user's line of that variant has none;
    the anonymous cart's coupon moves over when the user's cart has none. Lines in another
    currency than a non-empty user cart are left behind. The anonymous cart becomes MERGED.
    """
    parsed = parse_token(cart_token.strip())
    if parsed is None or parsed.kind is not TokenKind.CART:
        return None
    async with in_transaction():
        anonymous = (
            await Cart.select_for_update()
            .filter(token_hash=parsed.digest, user_id=None, status=CartStatus.OPEN)
            .first()
        )
        if anonymous is None:
            return None
        target = await open_cart_of(user.id) or await Cart.create(user_id=user.id)
        await Cart.select_for_update().filter(id=target.id).first()
        incoming = await CartLine.filter(cart_id=anonymous.id).order_by("id")
        mine = {line.variant_id: line for line in await CartLine.filter(cart_id=target.id)}
        changes: dict[str, Any] = {"updated_at": datetime.now(UTC)}
        if incoming and (not mine or target.currency == anonymous.currency):
            changes["currency"] = anonymous.currency
            variants = {
                v.id: v for v in await Variant.filter(id__in=[ln.variant_id for ln in incoming])
            }
            for line in incoming:
                stock = variants[line.variant_id].stock
                own = mine.get(line.variant_id)
                if own is not None:
                    update: dict[str, Any] = {
                        "quantity": max(own.quantity, min(own.quantity + line.quantity, stock))
                    }
                    if Attribution.of(own).is_empty:
                        update.update(Attribution.of(line).columns())
                    await CartLine.filter(id=own.id).update(**update)
                elif min(line.quantity, stock) >= 1 and len(mine) < MAX_LINES:
                    mine[line.variant_id] = await CartLine.create(
                        cart_id=target.id,
                        variant_id=line.variant_id,
                        quantity=min(line.quantity, stock),
                        **Attribution.of(line).columns(),
                    )
        elif incoming:
            log.info("cart %s not merged into %s: other currency", anonymous.id, target.id)
        if target.coupon_id is None and anonymous.coupon_id is not None:
            changes["coupon_id"] = anonymous.coupon_id
        await Cart.filter(id=target.id).update(**changes)
        await Cart.filter(id=anonymous.id).update(
            status=CartStatus.MERGED, updated_at=datetime.now(UTC)
        )
    return await Cart.get(id=target.id)
