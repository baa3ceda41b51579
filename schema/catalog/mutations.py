"""The catalog's mutations: merchants and staff, categories, products, variants, stock."""

from __future__ import annotations

from typing import Annotated, Any

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


def _media_ids(values: list[strawberry.ID]) -> list[int]:
    return [decode_id(value, "Media", field="mediaIds") for value in values]


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
        name: Annotated[
            str,
            strawberry.argument(description="The storefront's name, 1-120 characters."),
        ],
        currency: Annotated[
            str,
            strawberry.argument(
                description="The ISO-4217 code every price of this merchant is in, e.g. EUR; fixed "
                "once set."
            ),
        ] = "USD",
        slug: Annotated[
            str | None,
            strawberry.argument(
                description="The storefront's URL name, unique: Lowercase letters, digits and "
                "single hyphens, at most 80 characters; made from the name if omitted."
            ),
        ] = None,
        story_html: Annotated[
            str,
            strawberry.argument(
                description="The brand story as HTML, sanitised on save: formatting and https "
                "links only; at most 50,000 characters."
            ),
        ] = "",
        logo_url: Annotated[
            str,
            strawberry.argument(description="An https URL of the logo; empty for none."),
        ] = "",
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
        merchant_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The merchant to change (a Merchant id, e.g. from `viewer { merchants "
                "{ id } }`)."
            ),
        ],
        name: Annotated[
            str | None,
            strawberry.argument(description="A new name, 1-120 characters."),
        ] = None,
        story_html: Annotated[
            str | None,
            strawberry.argument(
                description="A new brand story as HTML, sanitised on save: formatting and https "
                "links only; at most 50,000 characters."
            ),
        ] = None,
        logo_url: Annotated[
            str | None,
            strawberry.argument(
                description="A new https logo URL; an empty string removes the logo."
            ),
        ] = None,
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
        self,
        info: Info,
        merchant_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The merchant (a Merchant id) that gets a staff member."
            ),
        ],
        handle: Annotated[
            str,
            strawberry.argument(
                description="The handle of the user to add; not the owner, and not already staff."
            ),
        ],
    ) -> AddMerchantStaffPayload | None:
        row = await catalog.add_merchant_staff(
            info.context,
            merchant_id=decode_id(merchant_id, "Merchant", field="merchantId"),
            handle=handle,
        )
        return MerchantSuccess(merchant=Merchant.from_model(row))

    @strawberry.mutation(description="Take a user off this merchant's staff.")
    async def remove_merchant_staff(
        self,
        info: Info,
        merchant_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The merchant (a Merchant id) to take the user off."),
        ],
        handle: Annotated[
            str,
            strawberry.argument(description="The handle of the staff member to remove."),
        ],
    ) -> RemoveMerchantStaffPayload | None:
        row = await catalog.remove_merchant_staff(
            info.context,
            merchant_id=decode_id(merchant_id, "Merchant", field="merchantId"),
            handle=handle,
        )
        return MerchantSuccess(merchant=Merchant.from_model(row))

    @strawberry.mutation(description="Add a category (admins).")
    async def create_category(
        self,
        info: Info,
        name: Annotated[
            str,
            strawberry.argument(description="The category's name, 1-80 characters."),
        ],
        slug: Annotated[
            str | None,
            strawberry.argument(
                description="The category's URL name, unique: Lowercase letters, digits and single "
                "hyphens, at most 80 characters; made from the name if omitted."
            ),
        ] = None,
        parent_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The category to put it under (a Category id); omit for a top-level "
                "one."
            ),
        ] = None,
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
        merchant_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The merchant that sells it (a Merchant id); you must manage it."
            ),
        ],
        title: Annotated[
            str,
            strawberry.argument(description="The product's name, 1-200 characters."),
        ],
        variants: Annotated[
            list[VariantInput],
            strawberry.argument(
                description="The buyable versions, 1 to 100; the first is shown first."
            ),
        ],
        slug: Annotated[
            str | None,
            strawberry.argument(
                description="The product's URL name, unique: Lowercase letters, digits and single "
                "hyphens, at most 80 characters; made from the name if omitted."
            ),
        ] = None,
        description_html: Annotated[
            str,
            strawberry.argument(
                description="The description as HTML, sanitised on save: formatting and https "
                "links only; at most 50,000 characters."
            ),
        ] = "",
        category_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Where it sits in the category tree (a Category id); omit for nowhere."
            ),
        ] = None,
        tags: Annotated[
            list[str] | None,
            strawberry.argument(
                description="At most 20 tags of at most 40 characters; lower-cased and "
                "de-duplicated."
            ),
        ] = None,
        media_urls: Annotated[
            list[str] | None,
            strawberry.argument(
                description="https URLs of images or videos, in display order; at most 20.",
                deprecation_reason="Upload media (requestUpload) and pass `mediaIds`.",
            ),
        ] = None,
        media_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="READY media (Media ids) uploaded by you or your merchant's team, "
                "in display order; at most 20."
            ),
        ] = None,
        status: Annotated[
            ProductStatus | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="DRAFT (only the merchant sees it), ACTIVE (for sale) or ARCHIVED; "
                "null means DRAFT."
            ),
        ] = ProductStatusModel.DRAFT,
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
            media_ids=_media_ids(media_ids or []),
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
        product_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The product to change (a Product id)."),
        ],
        title: Annotated[
            str | None,
            strawberry.argument(description="A new name, 1-200 characters."),
        ] = None,
        slug: Annotated[
            str | None,
            strawberry.argument(
                description="A new URL name, unique; lowercase letters, digits and single hyphens."
            ),
        ] = None,
        description_html: Annotated[
            str | None,
            strawberry.argument(
                description="A new description as HTML, sanitised on save: formatting and https "
                "links only; at most 50,000 characters."
            ),
        ] = None,
        category_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="A new place in the category tree (a Category id)."),
        ] = None,
        tags: Annotated[
            list[str] | None,
            strawberry.argument(
                description="The new full set of tags, replacing the old ones. At most 20 tags of "
                "at most 40 characters; lower-cased and de-duplicated."
            ),
        ] = None,
        media_urls: Annotated[
            list[str] | None,
            strawberry.argument(
                description="The new full list of media, replacing the old one: https URLs of "
                "images or videos, in display order; at most 20.",
                deprecation_reason="Upload media (requestUpload) and pass `mediaIds`.",
            ),
        ] = None,
        media_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="The new full list of media (Media ids), replacing the old one: "
                "READY media uploaded by you or your merchant's team, in order; at most 20."
            ),
        ] = None,
        status: Annotated[
            ProductStatus | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="ACTIVE puts it on sale; DRAFT or ARCHIVED takes it off public "
                "listings."
            ),
        ] = None,
    ) -> UpdateProductPayload | None:
        changes = _changes(
            title=title,
            slug=slug,
            description_html=description_html,
            media_urls=media_urls,
            media_ids=_media_ids(media_ids) if media_ids is not None else None,
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
        self,
        info: Info,
        product_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The product to add it to (a Product id)."),
        ],
        variant: Annotated[
            VariantInput,
            strawberry.argument(description="The new variant; its SKU must be unused."),
        ],
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
        variant_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The variant to change (a Variant id)."),
        ],
        title: Annotated[
            str | None,
            strawberry.argument(description="A new title, e.g. `100 g`."),
        ] = None,
        price: Annotated[
            int | None,
            strawberry.argument(
                description="A new price in minor units of the merchant's currency."
            ),
        ] = None,
        compare_at_price: Annotated[
            int | None,
            strawberry.argument(description="A new 'was' price in minor units."),
        ] = None,
        stock: Annotated[
            int | None,
            strawberry.argument(
                description="The new number of units in stock (absolute, not a change); not "
                "negative."
            ),
        ] = None,
        options: Annotated[
            list[VariantOptionInput] | None,
            strawberry.argument(
                description="The new full set of options, replacing the old ones; at most 5."
            ),
        ] = None,
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
        self,
        info: Info,
        variant_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The variant whose stock changes (a Variant id)."),
        ],
        delta: Annotated[
            int,
            strawberry.argument(
                description="Units to add (positive) or take away (negative); refused if stock "
                "would go below zero."
            ),
        ],
    ) -> AdjustVariantStockPayload | None:
        row = await catalog.adjust_variant_stock(
            info.context,
            variant_id=decode_id(variant_id, "Variant", field="variantId"),
            delta=delta,
        )
        return await _variant_success(info, row)

    @strawberry.mutation(description="Remove a variant (a product keeps at least one).")
    async def delete_variant(
        self,
        info: Info,
        variant_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The variant to remove (a Variant id); not a product's last one."
            ),
        ],
    ) -> DeleteVariantPayload | None:
        row = await catalog.delete_variant(
            info.context, variant_id=decode_id(variant_id, "Variant", field="variantId")
        )
        return await _variant_success(info, row)
