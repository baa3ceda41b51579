"""Typed errors returned inside mutation payloads, and the handlers that produce them.

A mutation's payload union lists the errors it can return; a domain exception raised by a
resolver becomes that error type only where the union includes it (strawberry's
exception_handlers). Anything else is an unexpected error and is masked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types.field import StrawberryField

from resolvers import errors
from resolvers.carts import (
    CouponNotApplicable,
    CouponRejection,
    InsufficientStock,
    ProductUnavailable,
)
from resolvers.orders import IdempotencyConflict, OrderStateConflict
from resolvers.reviews import ReviewNotAllowed, ReviewNotAllowedReason

if TYPE_CHECKING:
    from schema.orders import OrderStatus


@strawberry.interface(description="Something the client asked for could not be done, and why.")
class Error:
    message: str = strawberry.field(description="What went wrong, in words fit to show a person.")


@strawberry.type(description="An input value was rejected.")
class ValidationError(Error):
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase, as sent), or null for the whole input."
    )


@strawberry.type(description="The object does not exist, or the caller may not see it.")
class NotFoundError(Error):
    resource: str = strawberry.field(description="The kind of object, e.g. `App`.")


@strawberry.type(description="The change conflicts with existing data, e.g. a taken handle.")
class ConflictError(Error):
    field: str | None = strawberry.field(description="The input field at fault, if any.")


@strawberry.type(description="The caller is signed in but may not do this to this object.")
class PermissionDeniedError(Error):
    pass


@strawberry.type(description="The email and password do not match an active account.")
class InvalidCredentialsError(Error):
    pass


class ValidationErrorHandler(strawberry.ExceptionHandler[errors.InvalidInput, ValidationError]):
    def handle(
        self, exception: errors.InvalidInput, *, field: StrawberryField, info: strawberry.Info
    ) -> ValidationError:
        return ValidationError(message=exception.message, field=exception.field)


class NotFoundErrorHandler(strawberry.ExceptionHandler[errors.NotFound, NotFoundError]):
    def handle(
        self, exception: errors.NotFound, *, field: StrawberryField, info: strawberry.Info
    ) -> NotFoundError:
        return NotFoundError(message=exception.message, resource=exception.resource)


class ConflictErrorHandler(strawberry.ExceptionHandler[errors.Conflict, ConflictError]):
    def handle(
        self, exception: errors.Conflict, *, field: StrawberryField, info: strawberry.Info
    ) -> ConflictError:
        return ConflictError(message=exception.message, field=exception.field)


class PermissionDeniedErrorHandler(
    strawberry.ExceptionHandler[errors.PermissionDenied, PermissionDeniedError]
):
    def handle(
        self, exception: errors.PermissionDenied, *, field: StrawberryField, info: strawberry.Info
    ) -> PermissionDeniedError:
        return PermissionDeniedError(message=exception.message)


EXCEPTION_HANDLERS: list[strawberry.ExceptionHandler[Any, Any]] = [
    ValidationErrorHandler(),
    NotFoundErrorHandler(),
    ConflictErrorHandler(),
    PermissionDeniedErrorHandler(),
]


# ---- reviews ----------------------------------------------------------------------------------

ReviewNotAllowedReasonType = strawberry.enum(
    ReviewNotAllowedReason,
    name="ReviewNotAllowedReason",
    description="Why a review cannot be written: NOT_PURCHASED (no order of the product) or "
    "NOT_DELIVERED (ordered, not yet delivered).",
)


@strawberry.type(description="Only buyers whose order of the product was delivered may review it.")
class ReviewNotAllowedError(Error):
    reason: ReviewNotAllowedReasonType = strawberry.field(  # type: ignore[valid-type]
        description="Why not (yet)."
    )


class ReviewNotAllowedErrorHandler(
    strawberry.ExceptionHandler[ReviewNotAllowed, ReviewNotAllowedError]
):
    def handle(
        self, exception: ReviewNotAllowed, *, field: StrawberryField, info: strawberry.Info
    ) -> ReviewNotAllowedError:
        return ReviewNotAllowedError(message=exception.message, reason=exception.reason)


EXCEPTION_HANDLERS.append(ReviewNotAllowedErrorHandler())


# ---- commerce: carts, coupons, checkout, orders ---------------------------------------------

CouponRejectionType = strawberry.enum(
    CouponRejection,
    name="CouponRejection",
    description="Why a coupon does not apply: UNKNOWN code, INACTIVE, NOT_STARTED, EXPIRED, "
    "USED_UP (max uses reached), USER_LIMIT (your uses reached), CURRENCY (another currency "
    "than the cart's), NOT_ELIGIBLE (nothing in its merchant or product scope), "
    "MINIMUM_NOT_MET (eligible subtotal below its minimum).",
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


@strawberry.type(
    description="This idempotency key was used for a checkout with a different input; "
    "nothing was ordered. Use a new key for a new order."
)
class IdempotencyConflictError(Error):
    idempotency_key: str = strawberry.field(description="The key as sent.")


@strawberry.type(description="The order's status does not allow this step; nothing changed.")
class OrderStateError(Error):
    status: Annotated[OrderStatus, strawberry.lazy("schema.orders")] = (  # type: ignore[valid-type]
        strawberry.field(description="The order's status now.")
    )


class InsufficientStockErrorHandler(
    strawberry.ExceptionHandler[InsufficientStock, InsufficientStockError]
):
    def handle(
        self, exception: InsufficientStock, *, field: StrawberryField, info: strawberry.Info
    ) -> InsufficientStockError:
        return InsufficientStockError(
            message=exception.message,
            variant_id=_variant_gid(exception.variant_id),
            available=exception.available,
        )


class ProductUnavailableErrorHandler(
    strawberry.ExceptionHandler[ProductUnavailable, ProductUnavailableError]
):
    def handle(
        self, exception: ProductUnavailable, *, field: StrawberryField, info: strawberry.Info
    ) -> ProductUnavailableError:
        return ProductUnavailableError(
            message=exception.message, variant_id=_variant_gid(exception.variant_id)
        )


class CouponNotApplicableErrorHandler(
    strawberry.ExceptionHandler[CouponNotApplicable, CouponNotApplicableError]
):
    def handle(
        self, exception: CouponNotApplicable, *, field: StrawberryField, info: strawberry.Info
    ) -> CouponNotApplicableError:
        return CouponNotApplicableError(message=exception.message, reason=exception.reason)


class IdempotencyConflictErrorHandler(
    strawberry.ExceptionHandler[IdempotencyConflict, IdempotencyConflictError]
):
    def handle(
        self, exception: IdempotencyConflict, *, field: StrawberryField, info: strawberry.Info
    ) -> IdempotencyConflictError:
        return IdempotencyConflictError(message=exception.message, idempotency_key=exception.key)


class OrderStateErrorHandler(strawberry.ExceptionHandler[OrderStateConflict, OrderStateError]):
    def handle(
        self, exception: OrderStateConflict, *, field: StrawberryField, info: strawberry.Info
    ) -> OrderStateError:
        return OrderStateError(message=exception.message, status=exception.status)


EXCEPTION_HANDLERS.extend(
    [
        InsufficientStockErrorHandler(),
        ProductUnavailableErrorHandler(),
        CouponNotApplicableErrorHandler(),
        IdempotencyConflictErrorHandler(),
        OrderStateErrorHandler(),
    ]
)
