"""The catalog's object types and enums: Merchant, Category, Product, Variant."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.catalog import Category as CategoryModel
from models.catalog import Merchant as MerchantModel
from models.catalog import Product as ProductModel
from models.catalog import ProductStatus as ProductStatusModel
from models.catalog import Variant as VariantModel
from resolvers import catalog
from resolvers.catalog import ProductFilter as ProductFilterSpec
from resolvers.catalog import ProductSort as ProductSortModel
from resolvers.catalog.loaders import (
    categories_by_parent,
    category_by_id,
    merchant_by_id,
    product_by_id,
    tags_by_product,
    variants_by_product,
)
from schema.accounts import User
from schema.base import Info, describe_values
from schema.media import Media, media_list
from schema.money import Money
from schema.nodes import VisibleNode, build_each
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection
from schema.reviews import RatingSummary, Review, ReviewSort, product_reviews

if TYPE_CHECKING:
    from schema.comments import Comment, CommentSort
    from schema.content import Content

ProductStatus = strawberry.enum(
    ProductStatusModel,
    name="ProductStatus",
    description="DRAFT and ARCHIVED products are seen only by "
    "their merchant; ACTIVE ones by everyone.",
)
describe_values(
    ProductStatus,
    {
        "DRAFT": "Being prepared: seen only by its merchant's owner, staff and admins.",
        "ACTIVE": "For sale: listed and seen by everyone.",
        "ARCHIVED": "Off sale for good: seen only by its merchant's managers; orders keep "
        "their snapshot.",
    },
)
ProductSort = strawberry.enum(
    ProductSortModel, name="ProductSort", description="How to order a product listing."
)
describe_values(
    ProductSort,
    {
        "NEWEST": "Most recently created first.",
        "PRICE_ASC": "Cheapest first, by the lowest variant price.",
        "PRICE_DESC": "Dearest first, by the lowest variant price.",
        "RATING": "Highest average rating of published reviews first; unreviewed last.",
        "BEST_SELLING": "Most units sold in paid orders first.",
    },
)


@strawberry.type(
    description="A seller: storefront profile and story. Owned by one user, "
    "managed by the owner and staff."
)
class Merchant(VisibleNode):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The storefront's name, e.g. `Lin's Tea House`.")
    slug: str = strawberry.field(description="Unique, URL-safe name.")
    story_html: str = strawberry.field(description="The brand story, sanitised HTML.")
    logo_url: str = strawberry.field(
        description="An https URL of the logo; empty when there is none."
    )
    currency: str = strawberry.field(description="Currency of the merchant's prices.")
    created_at: datetime = strawberry.field(description="When the storefront was opened (UTC).")
    row: strawberry.Private[MerchantModel]

    @classmethod
    def from_model(cls, row: MerchantModel) -> Self:
        return cls(
            id=row.id,
            name=row.name,
            slug=row.slug,
            story_html=row.story_html,
            logo_url=row.logo_url,
            currency=row.currency,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await catalog.visible_merchants(info.context, ids), cls.from_model)

    @strawberry.field(
        description="The user who owns the merchant; null if that account is deactivated."
    )
    async def owner(self, info: Info) -> User | None:
        return await User.related(info, self.row.owner_id)

    @strawberry.field(description="The merchant's active products, newest first.")
    async def products(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Product]:
        page = await catalog.list_products(
            info.context,
            where=ProductFilterSpec(merchant_id=self.row.id),
            sort=ProductSortModel.NEWEST,
            args=page_args(first, after, last, before),
        )
        return to_connection(page, Product.from_model)


@strawberry.type(description="A node of the category tree.")
class Category(VisibleNode):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The category's name, e.g. `Green tea`.")
    slug: str = strawberry.field(description="Unique, URL-safe name, e.g. `green-tea`.")
    row: strawberry.Private[CategoryModel]

    @classmethod
    def from_model(cls, row: CategoryModel) -> Self:
        return cls(id=row.id, name=row.name, slug=row.slug, row=row)

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await catalog.visible_categories(info.context, ids), cls.from_model)

    @strawberry.field(description="The category above this one; null at the top.")
    async def parent(self, info: Info) -> Category | None:
        if self.row.parent_id is None:
            return None
        row = await info.context.loaders[category_by_id].load(self.row.parent_id)
        return Category.from_model(row) if row else None

    @strawberry.field(description="The categories directly below this one.")
    async def children(self, info: Info) -> list[Category]:
        rows = await info.context.loaders[categories_by_parent].load(self.row.id)
        return [Category.from_model(row) for row in rows]


@strawberry.type(description="One option of a variant, e.g. size M.")
class VariantOption:
    name: str = strawberry.field(description="What the option is, e.g. `size`.")
    value: str = strawberry.field(description="This variant's value of it, e.g. `M`.")


@strawberry.type(description="A buyable version of a product: one SKU, price and stock.")
class Variant(VisibleNode):
    id: relay.NodeID[int]
    sku: str = strawberry.field(description="Stock-keeping unit, unique across the catalog.")
    title: str = strawberry.field(description="The variant's name, e.g. `50 g`.")
    options: list[VariantOption] = strawberry.field(
        description="The options that set this variant apart, e.g. size and colour."
    )
    price: Money = strawberry.field(description="What one unit costs now.")
    compare_at_price: Money | None = strawberry.field(
        description="The 'was' price shown struck through, if any."
    )
    quantity_available: int = strawberry.field(description="Units that can be bought now.")
    row: strawberry.Private[VariantModel]

    @classmethod
    def from_model(cls, row: VariantModel, currency: str | None = None) -> Self:
        money = currency or "USD"
        return cls(
            id=row.id,
            sku=row.sku,
            title=row.title,
            options=[VariantOption(name=k, value=v) for k, v in row.options.items()],
            price=Money.of(row.price, money),
            compare_at_price=(
                Money.of(row.compare_at_price, money) if row.compare_at_price is not None else None
            ),
            quantity_available=row.stock,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        rows = await catalog.visible_variants(info.context, ids)
        # visible_variants loaded these products: the loader answers from its cache.
        products = await info.context.loaders[product_by_id].load_many(
            [row.product_id for row in rows if row is not None]
        )
        currency = {product.id: product.currency for product in products if product is not None}
        return build_each(rows, lambda row: cls.from_model(row, currency[row.product_id]))

    @strawberry.field(description="Whether at least one unit is available.")
    def in_stock(self) -> bool:
        return self.row.stock > 0

    @strawberry.field(description="The product this variant belongs to.")
    async def product(self, info: Info) -> Product | None:
        return await Product.load_one(info, self.row.product_id)


@strawberry.type(description="The lowest and highest variant price.")
class PriceRange:
    min: Money = strawberry.field(description="The cheapest variant's price.")
    max: Money = strawberry.field(description="The dearest variant's price.")


@strawberry.type(description="Something for sale, with its variants. Shoppable from posts.")
class Product(VisibleNode):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="The product's name.")
    slug: str = strawberry.field(description="Unique, URL-safe name.")
    description_html: str = strawberry.field(description="Sanitised HTML description.")
    media_urls: list[str] = strawberry.field(
        description="Images and videos given as URLs, in order.",
        deprecation_reason="Use `media`: uploaded images with sizes and variants.",
    )
    status: ProductStatus = strawberry.field(  # type: ignore[valid-type]
        description="DRAFT, ACTIVE (for sale, listed) or ARCHIVED."
    )
    currency: str = strawberry.field(
        description="The ISO-4217 currency of its prices: its merchant's."
    )
    units_sold: int = strawberry.field(description="Units sold in paid orders.")
    created_at: datetime = strawberry.field(description="When the product was created (UTC).")
    row: strawberry.Private[ProductModel]

    @classmethod
    def from_model(cls, row: ProductModel) -> Self:
        return cls(
            id=row.id,
            title=row.title,
            slug=row.slug,
            description_html=row.description_html,
            media_urls=list(row.media_urls),
            status=row.status,
            currency=row.currency,
            units_sold=row.units_sold,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await catalog.visible_products(info.context, ids), cls.from_model)

    @strawberry.field(
        description="Its uploaded images and videos, in display order (one batched load for "
        "a whole listing)."
    )
    async def media(self, info: Info) -> list[Media]:
        return await media_list(info, list(self.row.media_ids))

    @strawberry.field(description="Whether any variant has stock.")
    def in_stock(self) -> bool:
        return self.row.total_stock > 0

    @strawberry.field(description="Lowest and highest variant price.")
    async def price_range(self, info: Info) -> PriceRange:
        variants = await info.context.loaders[variants_by_product].load(self.row.id)
        prices = [variant.price for variant in variants] or [0]
        return PriceRange(
            min=Money.of(min(prices), self.row.currency),
            max=Money.of(max(prices), self.row.currency),
        )

    @strawberry.field(description="The product's variants, in display order.")
    async def variants(self, info: Info) -> list[Variant]:
        rows = await info.context.loaders[variants_by_product].load(self.row.id)
        return [Variant.from_model(row, self.row.currency) for row in rows]

    @strawberry.field(description="Lower-case tags, alphabetical.")
    async def tags(self, info: Info) -> list[str]:
        return [row.tag for row in await info.context.loaders[tags_by_product].load(self.row.id)]

    @strawberry.field(description="Who sells it.")
    async def merchant(self, info: Info) -> Merchant:
        row = await info.context.loaders[merchant_by_id].load(self.row.merchant_id)
        assert row is not None
        return Merchant.from_model(row)

    @strawberry.field(description="Average, count and 1-5 histogram of published reviews.")
    def rating_summary(self) -> RatingSummary:
        return RatingSummary.from_product(self.row)

    @strawberry.field(
        description="Published reviews. `withMedia` keeps reviews with photos; "
        "`rating` keeps one star value."
    )
    async def reviews(
        self,
        info: Info,
        sort: Annotated[
            ReviewSort | None,
            strawberry.argument(description="The order of the reviews; null means HELPFUL."),
        ] = ReviewSort.HELPFUL,
        with_media: Annotated[
            bool | None,
            strawberry.argument(description="True keeps only reviews with photos."),
        ] = None,
        rating: Annotated[
            int | None,
            strawberry.argument(description="Keep only reviews with this many stars, 1 to 5."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Review]:
        return await product_reviews(
            self.row.id,
            info,
            sort=sort or ReviewSort.HELPFUL,
            with_media=with_media,
            rating=rating,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="Published posts that tag it and published tutorials that use it (parts, "
        "steps or tags), newest published first. Drafts never show here, not even to their "
        "authors."
    )
    async def mentioned_in(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Content, strawberry.lazy("schema.content")]]:
        # Imported here: schema.content imports this module at load time.
        from resolvers.content import mentioned_in
        from schema.content import content_node

        page = await mentioned_in(
            info.context, product_id=self.row.id, args=page_args(first, after, last, before)
        )
        return to_connection(page, content_node)

    @strawberry.field(description="Where it sits in the category tree, if anywhere.")
    async def category(self, info: Info) -> Category | None:
        if self.row.category_id is None:
            return None
        row = await info.context.loaders[category_by_id].load(self.row.category_id)
        return Category.from_model(row) if row else None

    @strawberry.field(
        description="How many comments it has, replies included and deleted ones not; exact."
    )
    async def comment_count(self, info: Info) -> int:
        from schema.comments import fields  # it imports this module

        return await fields.count(info, fields.PRODUCT, self.row.id)

    @strawberry.field(
        description="Its top-level comments, newest first unless `sort` says OLDEST; each "
        "carries its `replies`."
    )
    async def comments(
        self,
        info: Info,
        sort: Annotated[
            Annotated[CommentSort, strawberry.lazy("schema.comments")] | None,  # type: ignore[valid-type]
            strawberry.argument(description="The order; null means NEWEST."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Comment, strawberry.lazy("schema.comments")]]:
        from schema.comments import fields

        paging = (first, after, last, before)
        return await fields.thread(info, fields.PRODUCT, self.row.id, sort, paging)
