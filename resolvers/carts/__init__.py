"""Carts of signed-in users and anonymous visitors, their lines, coupons and pricing.

A signed-in user has one open cart, created on first use. An anonymous visitor creates a cart
and gets a cart token (`agc_…`, shown once; only its SHA-256 is stored) to pass with every cart
call; signing in with that token merges the anonymous cart into the user's cart.

Carts hold no prices: every read and every change prices the lines at the variants' current
prices and checks them against current stock and product status. A cart has one currency, the
first line's. A coupon on a cart is re-validated on every pricing and again at checkout.
"""

from __future__ import annotations

from resolvers.carts.access import viewer_cart, visible_cart_lines, visible_carts
from resolvers.carts.attribution import Attribution
from resolvers.carts.coupons import (
    CouponSpec,
    apply_coupon,
    create_coupon,
    merchant_coupons,
    remove_coupon,
    set_coupon_active,
    visible_coupons,
)
from resolvers.carts.errors import (
    CouponNotApplicable,
    CouponRejection,
    InsufficientStock,
    ProductUnavailable,
)
from resolvers.carts.lines import add_line, create_cart, remove_line, update_line
from resolvers.carts.merge import merge_anonymous_cart
from resolvers.carts.pricing import (
    LineItem,
    PricedLine,
    Pricing,
    coupon_window_issue,
    price,
    price_cart,
    redemptions_by,
    split_discount,
)
from resolvers.carts.retention import ANONYMOUS_CART_RETENTION, purge_stale_anonymous_carts
from resolvers.carts.tutorials import add_tutorial_to_cart

__all__ = [
    "ANONYMOUS_CART_RETENTION",
    "Attribution",
    "CouponNotApplicable",
    "CouponRejection",
    "CouponSpec",
    "InsufficientStock",
    "LineItem",
    "PricedLine",
    "Pricing",
    "ProductUnavailable",
    "add_line",
    "add_tutorial_to_cart",
    "apply_coupon",
    "coupon_window_issue",
    "create_cart",
    "create_coupon",
    "merchant_coupons",
    "merge_anonymous_cart",
    "price",
    "price_cart",
    "purge_stale_anonymous_carts",
    "redemptions_by",
    "remove_coupon",
    "remove_line",
    "set_coupon_active",
    "split_discount",
    "update_line",
    "viewer_cart",
    "visible_cart_lines",
    "visible_carts",
    "visible_coupons",
]
