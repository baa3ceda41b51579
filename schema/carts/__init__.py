"""GraphQL shape of carts, their lines, coupons and attribution, and the cart mutations."""

from __future__ import annotations

from schema.carts.attribution import (
    SOURCE_TYPE_NAMES,
    Attribution,
    AttributionInput,
    AttributionSource,
    attribution_from_input,
    source_id_of,
)
from schema.carts.mutations import CartMutation
from schema.carts.payloads import (
    AddCartLinePayload,
    AddCartLineSuccess,
    ApplyCouponPayload,
    ApplyCouponSuccess,
    CreateCartPayload,
    CreateCartSuccess,
    CreateCouponPayload,
    CreateCouponSuccess,
    RemoveCartLinePayload,
    RemoveCartLineSuccess,
    RemoveCouponPayload,
    RemoveCouponSuccess,
    SetCouponActivePayload,
    SetCouponActiveSuccess,
    UpdateCartLinePayload,
    UpdateCartLineSuccess,
)
from schema.carts.queries import CartQuery
from schema.carts.types import Cart, CartLine, CartStatus, Coupon, CouponKind

__all__ = [
    "SOURCE_TYPE_NAMES",
    "AddCartLinePayload",
    "AddCartLineSuccess",
    "ApplyCouponPayload",
    "ApplyCouponSuccess",
    "Attribution",
    "AttributionInput",
    "AttributionSource",
    "Cart",
    "CartLine",
    "CartMutation",
    "CartQuery",
    "CartStatus",
    "Coupon",
    "CouponKind",
    "CreateCartPayload",
    "CreateCartSuccess",
    "CreateCouponPayload",
    "CreateCouponSuccess",
    "RemoveCartLinePayload",
    "RemoveCartLineSuccess",
    "RemoveCouponPayload",
    "RemoveCouponSuccess",
    "SetCouponActivePayload",
    "SetCouponActiveSuccess",
    "UpdateCartLinePayload",
    "UpdateCartLineSuccess",
    "attribution_from_input",
    "source_id_of",
]
