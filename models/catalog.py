"""Catalog: merchants and their staff, a category tree, products and their variants.

Money is integer minor units plus an ISO-4217 currency. Products carry denormalised columns
(lowest price, stock, units sold, rating counters) that writes keep exact, so listing filters and
sorts are single indexed queries.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User


class ProductStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class Merchant(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="merchants", on_delete=fields.OnDelete.RESTRICT
    )
    name = fields.CharField(max_length=120)
    slug = fields.CharField(max_length=80, unique=True)
    story_html = fields.TextField(default="")  # sanitised on write
    logo_url = fields.CharField(max_length=500, default="")
    currency = fields.CharField(max_length=3, default="USD")

    staff: fields.ReverseRelation[MerchantStaff]
    products: fields.ReverseRelation[Product]
    owner_id: int

    class Meta:
        table = "merchants"


class MerchantStaff(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    merchant: fields.ForeignKeyRelation[Merchant] = fields.ForeignKeyField(
        "models.Merchant", related_name="staff", on_delete=fields.OnDelete.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="merchant_roles", on_delete=fields.OnDelete.CASCADE
    )

    merchant_id: int
    user_id: int

    class Meta:
        table = "merchant_staff"
        unique_together = (("merchant", "user"),)


class Category(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    parent: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="children", null=True, on_delete=fields.OnDelete.RESTRICT
    )
    name = fields.CharField(max_length=80)
    slug = fields.CharField(max_length=80, unique=True)
    position = fields.IntField(default=0)

    parent_id: int | None

    class Meta:
        table = "categories"


class Product(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    merchant: fields.ForeignKeyRelation[Merchant] = fields.ForeignKeyField(
        "models.Merchant", related_name="products", on_delete=fields.OnDelete.RESTRICT
    )
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="products", null=True, on_delete=fields.OnDelete.SET_NULL
    )
    title = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=120, unique=True)
    description_html = fields.TextField(default="")  # sanitised on write
    media_urls: list[str] = fields.JSONField(default=list)  # deprecated by media_ids
    # Media row ids in display order (models/media.py); a deleted one is skipped on read.
    media_ids: list[int] = fields.JSONField(default=list)
    status = fields.CharEnumField(
        ProductStatus, max_length=10, default=ProductStatus.DRAFT, db_index=True
    )
    currency = fields.CharField(max_length=3, default="USD")
    # Kept exact by the writes that change them (variants, orders, reviews).
    min_price = fields.BigIntField(default=0, db_index=True)
    total_stock = fields.IntField(default=0)
    units_sold = fields.IntField(default=0, db_index=True)
    rating_count = fields.IntField(default=0)
    rating_sum = fields.IntField(default=0)
    rating_1 = fields.IntField(default=0)
    rating_2 = fields.IntField(default=0)
    rating_3 = fields.IntField(default=0)
    rating_4 = fields.IntField(default=0)
    rating_5 = fields.IntField(default=0)

    variants: fields.ReverseRelation[Variant]
    tags: fields.ReverseRelation[ProductTag]
    merchant_id: int
    category_id: int | None

    class Meta:
        table = "products"


class ProductTag(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="tags", on_delete=fields.OnDelete.CASCADE
    )
    tag = fields.CharField(max_length=40, db_index=True)

    product_id: int

    class Meta:
        table = "product_tags"
        unique_together = (("product", "tag"),)


class Variant(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="variants", on_delete=fields.OnDelete.CASCADE
    )
    sku = fields.CharField(max_length=64, unique=True)
    title = fields.CharField(max_length=120)
    options: dict[str, str] = fields.JSONField(default=dict)  # e.g. {"size": "M", "colour": "red"}
    price = fields.BigIntField()
    compare_at_price = fields.BigIntField(null=True)
    # Units available to sell. Checkout takes units out atomically (never below zero);
    # cancelled or expired unpaid orders put them back.
    stock = fields.IntField(default=0)
    position = fields.IntField(default=0)

    product_id: int

    class Meta:
        table = "variants"
