"""Catalog inputs: the product listing filter and the variants to create."""

from __future__ import annotations

import strawberry

from resolvers.catalog import ProductFilter as ProductFilterSpec
from resolvers.catalog import VariantSpec
from schema.base import decode_id


@strawberry.input(description="Narrow a product listing; all given conditions must hold.")
class ProductFilter:
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="This category and those below it."
    )
    merchant_id: strawberry.ID | None = None
    min_price: int | None = strawberry.field(
        default=None, description="Lowest price at least this (minor units)."
    )
    max_price: int | None = strawberry.field(
        default=None, description="Lowest price at most this (minor units)."
    )
    in_stock: bool | None = None
    tag: str | None = None
    search: str | None = strawberry.field(default=None, description="Words in the title.")

    def to_spec(self) -> ProductFilterSpec:
        return ProductFilterSpec(
            category_id=(
                decode_id(self.category_id, "Category", field="filter.categoryId")
                if self.category_id
                else None
            ),
            merchant_id=(
                decode_id(self.merchant_id, "Merchant", field="filter.merchantId")
                if self.merchant_id
                else None
            ),
            min_price=self.min_price,
            max_price=self.max_price,
            in_stock=self.in_stock,
            tag=self.tag,
            search=self.search,
        )


@strawberry.input(description="One option of a variant, e.g. name `size`, value `M`.")
class VariantOptionInput:
    name: str
    value: str


@strawberry.input(description="A variant to create.")
class VariantInput:
    sku: str
    title: str
    price: int = strawberry.field(description="Minor units in the merchant's currency.")
    stock: int = 0
    compare_at_price: int | None = None
    options: list[VariantOptionInput] = strawberry.field(default_factory=list)

    def to_spec(self) -> VariantSpec:
        return VariantSpec(
            sku=self.sku,
            title=self.title,
            price=self.price,
            stock=self.stock,
            compare_at_price=self.compare_at_price,
            options={option.name: option.value for option in self.options},
        )
