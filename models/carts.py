"""Carts of signed-in users and anonymous visitors, their lines, and coupons."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields

from models.attribution import Attributed
from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User
    from models.catalog import Merchant, Product, Variant


class CartStatus(StrEnum):
    OPEN = "open"
    MERGED = "merged"  # folded into the user's cart at sign-in
    CHECKED_OUT = "checked_out"


class CouponKind(StrEnum):
    FIXED = "fixed"  # `amount` off, in minor units
    PERCENT = "percent"  # `amount` percent off (1-100)
    THRESHOLD = "threshold"  # `amount` off when the eligible subtotal reaches `min_subtotal`


class Coupon(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    code = fields.CharField(max_length=40, unique=True)  # stored upper-case
    kind = fields.CharEnumField(CouponKind, max_length=10)
    amount = fields.BigIntField()
    currency = fields.CharField(max_length=3, default="USD")
    min_subtotal = fields.BigIntField(default=0)
    merchant: fields.ForeignKeyNullableRelation[Merchant] = fields.ForeignKeyField(
        "models.Merchant", null=True, on_delete=fields.OnDelete.CASCADE, related_name="coupons"
    )
    product: fields.ForeignKeyNullableRelation[Product] = fields.ForeignKeyField(
        "models.Product", null=True, on_delete=fields.OnDelete.CASCADE, related_name="coupons"
    )
    starts_at = fields.DatetimeField(null=True)
    ends_at = fields.DatetimeField(null=True)
    max_uses = fields.IntField(null=True)
    max_uses_per_user = fields.IntField(default=1)
    uses = fields.IntField(default=0)
    is_active = fields.BooleanField(default=True)

    merchant_id: int | None
    product_id: int | None

    class Meta:
        table = "coupons"


class Cart(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", null=True, on_delete=fields.OnDelete.CASCADE, related_name="carts"
    )
    # Anonymous carts are found by the SHA-256 of their cart token.
    token_hash = fields.CharField(max_length=64, null=True, unique=True)
    status = fields.CharEnumField(CartStatus, max_length=12, default=CartStatus.OPEN)
    currency = fields.CharField(max_length=3, default="USD")
    coupon: fields.ForeignKeyNullableRelation[Coupon] = fields.ForeignKeyField(
        "models.Coupon", null=True, on_delete=fields.OnDelete.SET_NULL, related_name="carts"
    )

    lines: fields.ReverseRelation[CartLine]
    user_id: int | None
    coupon_id: int | None

    class Meta:
        table = "carts"


class CartLine(TimestampedModel, Attributed):
    id = fields.BigIntField(primary_key=True)
    cart: fields.ForeignKeyRelation[Cart] = fields.ForeignKeyField(
        "models.Cart", related_name="lines", on_delete=fields.OnDelete.CASCADE
    )
    variant: fields.ForeignKeyRelation[Variant] = fields.ForeignKeyField(
        "models.Variant", related_name="cart_lines", on_delete=fields.OnDelete.CASCADE
    )
    quantity = fields.IntField()

    cart_id: int
    variant_id: int

    class Meta:
        table = "cart_lines"
        unique_together = (("cart", "variant"),)
