"""Why a cart change or checkout is refused, as typed errors: stock, product status, coupons."""

from __future__ import annotations

import strawberry
from strawberry import relay

from resolvers.carts import (
    CouponNotApplicable,
    CouponRejection,
    InsufficientStock,
    ProductUnavailable,
)
from schema.base import describe_values
from schema.errors import Error, maps

CouponRejectionType = strawberry.enum(
    CouponRejection,
    name="CouponRejection",
    description="Why a coupon does not apply: UNKNOWN code, INACTIVE, NOT_STARTED, EXPIRED, "
    "USED_UP (max uses reached), USER_LIMIT (your uses reached), CURRENCY (another currency "
    "than the cart's), NOT_ELIGIBLE (nothing in its merchant or product scope), "
    "MINIMUM_NOT_MET (eligible subtotal below its minimum).",
)
describe_values(
    CouponRejectionType,
    {
        "UNKNOWN": "No coupon has this code.",
        "INACTIVE": "Its merchant switched it off.",
        "NOT_STARTED": "Its validity window has not begun.",
        "EXPIRED": "Its validity window is over.",
        "USED_UP": "It reached its `maxUses`.",
        "USER_LIMIT": "You reached its `maxUsesPerUser`.",
        "CURRENCY": "It is in another currency than the cart.",
        "NOT_ELIGIBLE": "Nothing in the cart is from its merchant (or its product).",
        "MINIMUM_NOT_MET": "The eligible lines add up to less than its `minSubtotal`.",
    },
)


def _variant_gid(variant_id: int) -> strawberry.ID:
    return strawberry.ID(str(relay.GlobalID("Variant", str(variant_id))))


@strawberry.type(description="Fewer units are in stock than asked for; nothing was changed.")
class InsufficientStockError(Error):
    variant_id: strawberry.ID = strawberry.field(description="The variant short of stock.")
    available: int = strawberry.field(description="Units in stock now.")


@strawberry.type(description="The product is not for sale (draft or archived).")
class ProductUnavailableError(Error):
    variant_id: strawberry.ID = strawberry.field(description="The variant that cannot be sold.")


@strawberry.type(description="The coupon does not apply to this cart, and why.")
class CouponNotApplicableError(Error):
    reason: CouponRejectionType = strawberry.field(  # type: ignore[valid-type]
        description="Why not."
    )


ERROR_MAPPINGS = [
    maps(
        InsufficientStock,
        InsufficientStockError,
        lambda e: InsufficientStockError(
            message=e.message, variant_id=_variant_gid(e.variant_id), available=e.available
        ),
    ),
    maps(
        ProductUnavailable,
        ProductUnavailableError,
        lambda e: ProductUnavailableError(message=e.message, variant_id=_variant_gid(e.variant_id)),
    ),
    maps(
        CouponNotApplicable,
        CouponNotApplicableError,
        lambda e: CouponNotApplicableError(message=e.message, reason=e.reason),
    ),
]
