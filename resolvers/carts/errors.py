"""Why a cart change or checkout is refused: stock, product status, coupon rejections."""

from __future__ import annotations

from enum import StrEnum

from resolvers.errors import DomainError


class InsufficientStock(DomainError):
    def __init__(self, variant_id: int, available: int) -> None:
        super().__init__(
            f"Only {available} left of this item." if available > 0 else "This item is sold out."
        )
        self.variant_id = variant_id
        self.available = max(available, 0)


class ProductUnavailable(DomainError):
    def __init__(self, variant_id: int) -> None:
        super().__init__("This product is not for sale at the moment.")
        self.variant_id = variant_id


class CouponRejection(StrEnum):
    UNKNOWN = "unknown"
    INACTIVE = "inactive"
    NOT_STARTED = "not_started"
    EXPIRED = "expired"
    USED_UP = "used_up"
    USER_LIMIT = "user_limit"
    CURRENCY = "currency"
    NOT_ELIGIBLE = "not_eligible"
    MINIMUM_NOT_MET = "minimum_not_met"


COUPON_MESSAGES = {
    CouponRejection.UNKNOWN: "There is no coupon with this code.",
    CouponRejection.INACTIVE: "This coupon is no longer active.",
    CouponRejection.NOT_STARTED: "This coupon is not valid yet.",
    CouponRejection.EXPIRED: "This coupon has expired.",
    CouponRejection.USED_UP: "This coupon has been used up.",
    CouponRejection.USER_LIMIT: "You have already used this coupon as often as allowed.",
    CouponRejection.CURRENCY: "This coupon is for another currency than the cart's.",
    CouponRejection.NOT_ELIGIBLE: "Nothing in the cart is eligible for this coupon.",
    CouponRejection.MINIMUM_NOT_MET: "The eligible items do not reach this coupon's minimum.",
}


class CouponNotApplicable(DomainError):
    def __init__(self, reason: CouponRejection) -> None:
        super().__init__(COUPON_MESSAGES[reason])
        self.reason = reason
