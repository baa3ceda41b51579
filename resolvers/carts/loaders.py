"""The carts' per-request loaders (see resolvers/loading.py)."""

from __future__ import annotations

from models.carts import Cart, CartLine, Coupon
from resolvers.loading import by_id, grouped

cart_by_id = by_id(Cart)
lines_by_cart = grouped(CartLine, "cart_id")
cart_line_by_id = by_id(CartLine)
coupon_by_id = by_id(Coupon)
