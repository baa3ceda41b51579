"""Orders: snapshots of what was bought, their payment and fulfilment, and attribution."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields

from models.attribution import Attributed
from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User
    from models.carts import Coupon
    from models.catalog import Merchant, Variant


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    SHIPPED = "shipped"  # every line shipped
    DELIVERED = "delivered"  # every line delivered
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class RefundStatus(StrEnum):
    """Where the money of a cancelled or refunded paid order is. The order's status changes at
    once; the provider's refund may take retries (the worker), so it is tracked apart."""

    NONE = "none"  # nothing to give back
    PENDING = "pending"  # owed; the worker retries until the provider confirms
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # retries exhausted: an operator refunds it by hand


class PaymentAttemptStatus(StrEnum):
    """Where one try at charging an order is. Recorded before the provider is called, so a
    capture whose answer never reached the database can still be found (by the attempt's
    idempotency key) and settled: see resolvers/orders/attempts.py."""

    STARTED = "started"  # recorded; the provider is being (or was, if the request died) called
    CAPTURED = "captured"  # the provider took the money: `reference` is the charge
    DECLINED = "declined"  # nothing was taken (declined, unreachable, or never got there)
    UNKNOWN = "unknown"  # the call failed without saying whether money moved; the worker asks


class LineStatus(StrEnum):
    UNFULFILLED = "unfulfilled"
    SHIPPED = "shipped"
    DELIVERED = "delivered"


class Order(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    buyer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="orders", on_delete=fields.OnDelete.RESTRICT
    )
    status = fields.CharEnumField(
        OrderStatus, max_length=16, default=OrderStatus.PENDING_PAYMENT, db_index=True
    )
    currency = fields.CharField(max_length=3)
    subtotal = fields.BigIntField()
    discount = fields.BigIntField(default=0)
    total = fields.BigIntField()
    coupon: fields.ForeignKeyNullableRelation[Coupon] = fields.ForeignKeyField(
        "models.Coupon", null=True, on_delete=fields.OnDelete.SET_NULL, related_name="orders"
    )
    # Same key and same input give the same order; `request_hash` detects a changed input.
    idempotency_key = fields.CharField(max_length=255)
    request_hash = fields.CharField(max_length=64)
    shipping_address: dict[str, str] = fields.JSONField(default=dict)
    payment_provider = fields.CharField(max_length=32, default="")
    payment_reference = fields.CharField(max_length=120, default="")
    expires_at = fields.DatetimeField(null=True)  # unpaid orders release their stock then
    paid_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    refund_status = fields.CharEnumField(
        RefundStatus, max_length=10, default=RefundStatus.NONE, db_index=True
    )
    refund_reference = fields.CharField(max_length=120, default="")
    refund_attempts = fields.IntField(default=0)
    refunded_at = fields.DatetimeField(null=True)

    lines: fields.ReverseRelation[OrderLine]
    payment_attempts: fields.ReverseRelation[PaymentAttempt]
    buyer_id: int
    coupon_id: int | None

    class Meta:
        table = "orders"
        unique_together = (("buyer", "idempotency_key"),)


class PaymentAttempt(TimestampedModel):
    """One try at charging an order, from its start (created_at) until the provider answers."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="payment_attempts", on_delete=fields.OnDelete.CASCADE
    )
    number = fields.IntField()  # 1 for checkout's, then one more per payOrder
    provider = fields.CharField(max_length=32)
    # Sent with the authorization and the capture; the provider answers a repeat with the same
    # charge, and find_charge(key) tells what became of an attempt whose answer was lost.
    idempotency_key = fields.CharField(max_length=120, unique=True)
    amount = fields.BigIntField()
    status = fields.CharEnumField(
        PaymentAttemptStatus, max_length=10, default=PaymentAttemptStatus.STARTED, db_index=True
    )
    reference = fields.CharField(max_length=120, default="")  # the charge, once CAPTURED
    decline_code = fields.CharField(max_length=64, default="")
    finished_at = fields.DatetimeField(null=True)

    order_id: int

    class Meta:
        table = "payment_attempts"
        unique_together = (("order", "number"),)


class OrderLine(TimestampedModel, Attributed):
    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="lines", on_delete=fields.OnDelete.CASCADE
    )
    merchant: fields.ForeignKeyRelation[Merchant] = fields.ForeignKeyField(
        "models.Merchant", related_name="order_lines", on_delete=fields.OnDelete.RESTRICT
    )
    variant: fields.ForeignKeyNullableRelation[Variant] = fields.ForeignKeyField(
        "models.Variant", null=True, related_name="order_lines", on_delete=fields.OnDelete.SET_NULL
    )
    product_id = fields.BigIntField(db_index=True)  # snapshot: the product may change or go
    product_title = fields.CharField(max_length=200)
    variant_title = fields.CharField(max_length=120)
    sku = fields.CharField(max_length=64)
    unit_price = fields.BigIntField()
    quantity = fields.IntField()
    discount = fields.BigIntField(default=0)
    total = fields.BigIntField()
    status = fields.CharEnumField(LineStatus, max_length=12, default=LineStatus.UNFULFILLED)
    carrier = fields.CharField(max_length=60, default="")
    tracking_number = fields.CharField(max_length=80, default="")
    shipped_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)

    order_id: int
    merchant_id: int
    variant_id: int | None

    class Meta:
        table = "order_lines"


class CouponRedemption(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    coupon: fields.ForeignKeyRelation[Coupon] = fields.ForeignKeyField(
        "models.Coupon", related_name="redemptions", on_delete=fields.OnDelete.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="coupon_redemptions", on_delete=fields.OnDelete.CASCADE
    )
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="coupon_redemptions", on_delete=fields.OnDelete.CASCADE
    )

    coupon_id: int
    user_id: int
    order_id: int

    class Meta:
        table = "coupon_redemptions"
