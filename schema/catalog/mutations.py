"""The catalog's mutations: merchants and staff, categories, products, variants, stock."""

from __future__ import annotations

from typing import Any

import strawberry

from models.catalog import ProductStatus as ProductStatusModel
from models.catalog import Variant as VariantModel
from resolvers import catalog
from resolvers.catalog.loaders import product_by_id
from schema.base import Info, decode_id
from schema.catalog.inputs import VariantInput, VariantOptionInput
from schema.catalog.payloads import (
    AddMerchantStaffPayload,
    AddVariantPayload,
    AdjustVariantStockPayload,
    CreateCategoryPayload,
    CreateCategorySuccess,
    CreateMerchantPayload,
    CreateProductPayload,
    DeleteVariantPayload,
    MerchantSuccess,
    ProductSuccess,
    RemoveMerchantStaffPayload,
    UpdateMerchantPayload,
    UpdateProductPayload,
    UpdateVariantPayload,
    VariantSuccess,
)
from schema.catalog.types import Category, Merchant, Product, ProductStatus, Variant


def _changes(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


async def _variant_success(info: Info, row: VariantModel) -> VariantSuccess:
    product = await info.context.loaders[product_by_id].load(row.product_id)
    return VariantSuccess(variant=Variant.from_model(row, product.currency if product else None))


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(
        description="Open a merchant owned by the viewer (merchants and admins;"
        " apps need write:commerce)."
    )
    async def create_merchant(
        self,
        info: Info,
        name: str,
        currency: str = "USD",
        slug: str | None = None,
        story_html: str = "",
        logo_url: str = "",
    ) -> CreateMerchantPayload | None:
        row = await catalog.create_merchant(
            info.context,
            name=name,
            slug=slug,
            story_html=story_html,
            logo_url=logo_url,
            currency=currency,
        )
        return MerchantSuccess(merchant=Merchant.from_model(row))

    @strawberry.mutation(description="Change a merchant's profile (owner, staff, admin).")
    async def update_merchant(
        self,
        info: Info,
        merchant_id: strawberry.ID,
        name: str | None = None,
        story_html: str | None = None,
        logo_url: str | None = None,
    ) -> UpdateMerchantPayload | None:
        row = await catalog.update_merchant(
            info.context,
            merchant_id=decode_id(merchant_id, "Merchant", field="merchantId"),
            name=name,
            story_html=story_html,
            logo_url=logo_url,
        )
        return MerchantSuccess(merchant=Merchant.from_model(row))

    @strawberry.mutation(description="Let a user manage this merchant's catalog and orders.")
    async def add_merchant_staff(
        self, info: Info, merchant_id: strawberry.ID, handle: str
    ) -> AddMerchantStaffPayload | None:
        row = await catalog.add_merchant_staff(
            info.context,
            merchant_id=decode_id(merchant_id, "Merchant", field="merchantId"),
            handle=handle,
        )
        return MerchantSuccess(merchant=Merchant.from_model(row))

    @strawberry.mutation(description="Take a user off this merchant's staff.")
    async def remove_merchant_staff(
        self, info: Info, merchant_id: strawberry.ID, handle: str
    ) -> RemoveMerchantStaffPayload | None:
        row = await catalog.remove_merchant_staff(
            info.context,
            merchant_id=decode_id(merchant_id, "Merchant", field="merchantId"),
            handle=handle,
        )
        return MerchantSuccess(merchant=Merchant.from_model(row))

    @strawberry.mutation(description="Add a category (admins).")
    async def create_category(
        self, info: Info, name: str, slug: str | None = None, parent_id: strawberry.ID | None = None
    ) -> CreateCategoryPayload | None:
        row = await catalog.create_category(
            info.context,
            name=name,
            slug=slug,
            parent_id=decode_id(parent_id, "Category", field="parentId") if parent_id else None,
        )
        return CreateCategorySuccess(category=Category.from_model(row))

    @strawberry.mutation(
        description="Create a product with its variants for a merchant you "
        "manage. The description is sanitised."
    )
    async def create_product(
        self,
        info: Info,
        merchant_id: strawberry.ID,
        title: str,
        variants: list[VariantInput],
        slug: str | None = None,
        description_html: str = "",
        category_id: strawberry.ID | None = None,
        tags: list[str] | None = None,
        media_urls: list[str] | None = None,
        status: ProductStatus | None = ProductStatusModel.DRAFT,  # type: ignore[valid-type]
    ) -> CreateProductPayload | None:
        row = await catalog.create_product(
            info.context,
            merchant_id=decode_id(merchant_id, "Merchant", field="merchantId"),
            title=title,
            slug=slug,
            description_html=description_html,
            category_id=decode_id(category_id, "Category", field="categoryId")
            if category_id
            else None,
            tags=tags or [],
            media_urls=media_urls or [],
            status=ProductStatusModel(status or ProductStatusModel.DRAFT),
            variants=[variant.to_spec() for variant in variants],
        )
        return ProductSuccess(product=Product.from_model(row))

    @strawberry.mutation(
        description="Change a product; omitted fields stay. `tags` replaces all tags."
    )
    async def update_product(
        self,
        info: Info,
        product_id: strawberry.ID,
        title: str | None = None,
        slug: str | None = None,
        description_html: str | None = None,
        category_id: strawberry.ID | None = None,
        tags: list[str] | None = None,
        media_urls: list[str] | None = None,
        status: ProductStatus | None = None,  # type: ignore[valid-type]
    ) -> UpdateProductPayload | None:
        changes = _changes(
            title=title,
            slug=slug,
            description_html=description_html,
            media_urls=media_urls,
            status=ProductStatusModel(status) if status else None,
            category_id=decode_id(category_id, "Category", field="categoryId")
            if category_id
            else None,
        )
        row = await catalog.update_product(
            info.context,
            product_id=decode_id(product_id, "Product", field="productId"),
            changes=changes,
            tags=tags,
        )
        return ProductSuccess(product=Product.from_model(row))

    @strawberry.mutation(description="Add a variant to a product.")
    async def add_variant(
        self, info: Info, product_id: strawberry.ID, variant: VariantInput
    ) -> AddVariantPayload | None:
        row = await catalog.add_variant(
            info.context,
            product_id=decode_id(product_id, "Product", field="productId"),
            spec=variant.to_spec(),
        )
        return await _variant_success(info, row)

    @strawberry.mutation(
        description="Change a variant's title, options, prices or stock "
        "(absolute; use adjustVariantStock for deltas)."
    )
    async def update_variant(
        self,
        info: Info,
        variant_id: strawberry.ID,
        title: str | None = None,
        price: int | None = None,
        compare_at_price: int | None = None,
        stock: int | None = None,
        options: list[VariantOptionInput] | None = None,
    ) -> UpdateVariantPayload | None:
        changes = _changes(
            title=title,
            price=price,
            compare_at_price=compare_at_price,
            stock=stock,
            options={o.name: o.value for o in options} if options else None,
        )
        row = await catalog.update_variant(
            info.context,
            variant_id=decode_id(variant_id, "Variant", field="variantId"),
            changes=changes,
        )
        return await _variant_success(info, row)

    @strawberry.mutation(
        description="Add (positive) or remove (negative) units atomically; never below zero."
    )
    async def adjust_variant_stock(
        self, info: Info, variant_id: strawberry.ID, delta: int
    ) -> AdjustVariantStockPayload | None:
        row = await catalog.adjust_variant_stock(
            info.context,
            variant_id=decode_id(variant_id, "Variant", field="variantId"),
            delta=delta,
        )
        return await _variant_success(info, row)

    @strawberry.mutation(description="Remove a variant (a product keeps at least one).")
    async def delete_variant(
        self, info: Info, variant_id: strawberry.ID
    ) -> DeleteVariantPayload | None:
        row = await catalog.delete_variant(
            info.context, variant_id=decode_id(variant_id, "Variant", field="variantId")
        )
        return await _variant_success(info, row)
