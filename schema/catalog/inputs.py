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
    merchant_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this merchant's products (a Merchant id)."
    )
    min_price: int | None = strawberry.field(
        default=None, description="Lowest price at least this (minor units)."
    )
    max_price: int | None = strawberry.field(
        default=None, description="Lowest price at most this (minor units)."
    )
    in_stock: bool | None = strawberry.field(
        default=None, description="True: only products with stock; false: only sold-out ones."
    )
    tag: str | None = strawberry.field(
        default=None, description="Only products with this tag (any case)."
    )
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
    name: str = strawberry.field(
        description="What the option is, e.g. `size`; at most 30 characters."
    )
    value: str = strawberry.field(
        description="This variant's value of it, e.g. `M`; at most 60 characters."
    )


@strawberry.input(description="A variant to create.")
class VariantInput:
    sku: str = strawberry.field(
        description="Stock-keeping unit, 1-64 characters, unique across the catalog."
    )
    title: str = strawberry.field(description="The variant's name, e.g. `50 g`; 1-120 characters.")
    price: int = strawberry.field(description="Minor units in the merchant's currency.")
    stock: int = strawberry.field(
        default=0, description="Units in stock to start with; not negative."
    )
    compare_at_price: int | None = strawberry.field(
        default=None, description="A 'was' price in minor units, shown struck through."
    )
    options: list[VariantOptionInput] = strawberry.field(
        default_factory=list, description="What sets this variant apart, e.g. size `M`; at most 5."
    )

    def to_spec(self) -> VariantSpec:
        return VariantSpec(
            sku=self.sku,
            title=self.title,
            price=self.price,
            stock=self.stock,
            compare_at_price=self.compare_at_price,
            options={option.name: option.value for option in self.options},
        )
