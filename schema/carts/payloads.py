"""What cart mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.carts.errors import (
    CouponNotApplicableError,
    InsufficientStockError,
    ProductUnavailableError,
)
from schema.carts.types import Cart, Coupon
from schema.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError


@strawberry.type(
    description="The cart. For anonymous callers `cartToken` (shown only here) is what reaches "
    "it: pass it as `cartToken` to cart calls, and to `login` to merge it."
)
class CreateCartSuccess:
    cart: Cart = strawberry.field(description="The new (or your open) cart, priced now.")
    cart_token: str | None = strawberry.field(
        description="Anonymous carts only: the `agc_…` token. Store it; it is not shown again."
    )


@strawberry.type(description="The cart after adding the line.")
class AddCartLineSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")


@strawberry.type(description="The cart after changing the line.")
class UpdateCartLineSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")


@strawberry.type(description="The cart after removing the line.")
class RemoveCartLineSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")


@strawberry.type(description="The cart with the coupon applied.")
class ApplyCouponSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")


@strawberry.type(description="The cart without a coupon.")
class RemoveCouponSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")


@strawberry.type(description="The coupon as created.")
class CreateCouponSuccess:
    coupon: Coupon = strawberry.field(description="The new coupon.")


@strawberry.type(description="The coupon after the change.")
class SetCouponActiveSuccess:
    coupon: Coupon = strawberry.field(description="The coupon, switched on or off.")


CreateCartPayload = Annotated[
    CreateCartSuccess | ValidationError | NotFoundError,
    strawberry.union(
        "CreateCartPayload",
        description="The cart and, for anonymous callers, its token; or why not.",
    ),
]
_LINE_ERRORS = ValidationError | NotFoundError | InsufficientStockError | ProductUnavailableError
AddCartLinePayload = Annotated[
    AddCartLineSuccess | _LINE_ERRORS,
    strawberry.union(
        "AddCartLinePayload",
        description="The cart with the line added, or why not (stock, product status, currency).",
    ),
]
UpdateCartLinePayload = Annotated[
    UpdateCartLineSuccess | _LINE_ERRORS,
    strawberry.union(
        "UpdateCartLinePayload",
        description="The cart with the line changed, or why not (stock, product status).",
    ),
]
RemoveCartLinePayload = Annotated[
    RemoveCartLineSuccess | ValidationError | NotFoundError,
    strawberry.union("RemoveCartLinePayload", description="The cart without the line, or why not."),
]
ApplyCouponPayload = Annotated[
    ApplyCouponSuccess | ValidationError | NotFoundError | CouponNotApplicableError,
    strawberry.union(
        "ApplyCouponPayload",
        description="The cart priced with the coupon, or why the coupon does not apply.",
    ),
]
RemoveCouponPayload = Annotated[
    RemoveCouponSuccess | ValidationError | NotFoundError,
    strawberry.union("RemoveCouponPayload", description="The cart without its coupon, or why not."),
]
CreateCouponPayload = Annotated[
    CreateCouponSuccess | ValidationError | ConflictError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "CreateCouponPayload", description="The new coupon, or why it could not be created."
    ),
]
SetCouponActivePayload = Annotated[
    SetCouponActiveSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "SetCouponActivePayload", description="The coupon after the switch, or why it was refused."
    ),
]
