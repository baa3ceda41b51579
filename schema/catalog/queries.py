"""The catalog's root query fields: a product, product listings, a merchant, categories."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import catalog
from resolvers.catalog import ProductFilter as ProductFilterSpec
from resolvers.catalog import ProductSort as ProductSortModel
from schema.base import Info, decode_id
from schema.catalog.inputs import ProductFilter
from schema.catalog.types import Category, Merchant, Product, ProductSort
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="A product by id or slug; null if missing or not visible.")
    async def product(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The product's global id. Give this or `slug`."),
        ] = None,
        slug: Annotated[
            str | None,
            strawberry.argument(
                description="The product's slug, e.g. `dragon-well-green-tea`. Give this or `id`."
            ),
        ] = None,
    ) -> Product | None:
        row = await catalog.find_product(
            info.context, product_id=decode_id(id, "Product", field="id") if id else None, slug=slug
        )
        return Product.from_model(row) if row else None

    @strawberry.field(description="Active products, filtered and sorted. Paged by cursor.")
    async def products(
        self,
        info: Info,
        filter: Annotated[
            ProductFilter | None,
            strawberry.argument(
                description="Conditions every listed product meets; omit to list every active "
                "product."
            ),
        ] = None,
        sort: Annotated[
            ProductSort | None,  # type: ignore[valid-type]
            strawberry.argument(description="The order of the listing; null means NEWEST."),
        ] = ProductSortModel.NEWEST,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Product]:
        page = await catalog.list_products(
            info.context,
            where=filter.to_spec() if filter else ProductFilterSpec(),
            sort=ProductSortModel(sort or ProductSortModel.NEWEST),
            args=page_args(first, after, last, before),
        )
        return to_connection(page, Product.from_model)

    @strawberry.field(description="A merchant by slug, or null.")
    async def merchant(
        self,
        info: Info,
        slug: Annotated[
            str,
            strawberry.argument(description="The merchant's slug, e.g. `lins-tea-house`."),
        ],
    ) -> Merchant | None:
        row = await catalog.merchant_by_slug(info.context, slug)
        return Merchant.from_model(row) if row else None

    @strawberry.field(description="The top of the category tree.")
    async def categories(self, info: Info) -> list[Category]:
        return [Category.from_model(row) for row in await catalog.top_categories(info.context)]
