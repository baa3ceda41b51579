"""GraphQL shape of the catalog: merchants, categories, products, variants, and their mutations."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, Self

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
from resolvers.catalog import VariantSpec
from schema.accounts import User
from schema.base import Info, decode_id
from schema.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from schema.money import Money
from schema.pagination import Connection, page_args, to_connection
from schema.reviews import RatingSummary, Review, ReviewSort, product_reviews

ProductStatus = strawberry.enum(
    ProductStatusModel,
    name="ProductStatus",
    description="DRAFT and ARCHIVED products are seen only by "
    "their merchant; ACTIVE ones by everyone.",
)
ProductSort = strawberry.enum(
    ProductSortModel, name="ProductSort", description="How to order a product listing."
)


@strawberry.type(
    description="A seller: storefront profile and story. Owned by one user, "
    "managed by the owner and staff."
)
class Merchant(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str = strawberry.field(description="Unique, URL-safe name.")
    story_html: str = strawberry.field(description="The brand story, sanitised HTML.")
    logo_url: str
    currency: str = strawberry.field(description="Currency of the merchant's prices.")
    created_at: datetime
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
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.merchant_by_id.load_many([int(i) for i in node_ids])
        return [cls.from_model(row) if row else None for row in rows]

    @strawberry.field(description="The user who owns the merchant.")
    async def owner(self, info: Info) -> User:
        row = await info.context.loaders.user_by_id.load(self.row.owner_id)
        assert row is not None
        return User.from_model(row)

    @strawberry.field(description="The merchant's active products, newest first.")
    async def products(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Product]:
        page = await catalog.list_products(
            info.context,
            where=ProductFilterSpec(merchant_id=self.row.id),
            sort=ProductSortModel.NEWEST,
            args=page_args(first, after, last, before),
        )
        return to_connection(page, Product.from_model)


@strawberry.type(description="A node of the category tree.")
class Category(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str
    row: strawberry.Private[CategoryModel]

    @classmethod
    def from_model(cls, row: CategoryModel) -> Self:
        return cls(id=row.id, name=row.name, slug=row.slug, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.category_by_id.load_many([int(i) for i in node_ids])
        return [cls.from_model(row) if row else None for row in rows]

    @strawberry.field(description="The category above this one; null at the top.")
    async def parent(self, info: Info) -> Category | None:
        if self.row.parent_id is None:
            return None
        row = await info.context.loaders.category_by_id.load(self.row.parent_id)
        return Category.from_model(row) if row else None

    @strawberry.field(description="The categories directly below this one.")
    async def children(self, info: Info) -> list[Category]:
        rows = await info.context.loaders.categories_by_parent.load(self.row.id)
        return [Category.from_model(row) for row in rows]


@strawberry.type(description="One option of a variant, e.g. size M.")
class VariantOption:
    name: str
    value: str


@strawberry.type(description="A buyable version of a product: one SKU, price and stock.")
class Variant(relay.Node):
    id: relay.NodeID[int]
    sku: str = strawberry.field(description="Stock-keeping unit, unique across the catalog.")
    title: str
    options: list[VariantOption]
    price: Money
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
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.variant_by_id.load_many([int(i) for i in node_ids])
        products = await info.context.loaders.product_by_id.load_many(
            [row.product_id for row in rows if row is not None]
        )
        by_id = {p.id: p for p in products if p is not None}
        return [
            cls.from_model(row, by_id[row.product_id].currency)
            if row is not None and row.product_id in by_id
            else None
            for row in rows
        ]

    @strawberry.field(description="Whether at least one unit is available.")
    def in_stock(self) -> bool:
        return self.row.stock > 0

    @strawberry.field(description="The product this variant belongs to.")
    async def product(self, info: Info) -> Product | None:
        row = await info.context.loaders.product_by_id.load(self.row.product_id)
        if row is None or not await catalog.can_see_product(info.context, row):
            return None
        return Product.from_model(row)


@strawberry.type(description="The lowest and highest variant price.")
class PriceRange:
    min: Money
    max: Money


@strawberry.type(description="Something for sale, with its variants. Shoppable from posts.")
class Product(relay.Node):
    id: relay.NodeID[int]
    title: str
    slug: str = strawberry.field(description="Unique, URL-safe name.")
    description_html: str = strawberry.field(description="Sanitised HTML description.")
    media_urls: list[str] = strawberry.field(description="Images and videos, in order.")
    status: ProductStatus  # type: ignore[valid-type]
    currency: str
    units_sold: int = strawberry.field(description="Units sold in paid orders.")
    created_at: datetime
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
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.product_by_id.load_many([int(i) for i in node_ids])
        visible = await asyncio.gather(
            *(catalog.can_see_product(info.context, row) for row in rows if row is not None)
        )
        flags = iter(visible)
        return [cls.from_model(row) if row is not None and next(flags) else None for row in rows]

    @strawberry.field(description="Whether any variant has stock.")
    def in_stock(self) -> bool:
        return self.row.total_stock > 0

    @strawberry.field(description="Lowest and highest variant price.")
    async def price_range(self, info: Info) -> PriceRange:
        variants = await info.context.loaders.variants_by_product.load(self.row.id)
        prices = [variant.price for variant in variants] or [0]
        return PriceRange(
            min=Money.of(min(prices), self.row.currency),
            max=Money.of(max(prices), self.row.currency),
        )

    @strawberry.field(description="The product's variants, in display order.")
    async def variants(self, info: Info) -> list[Variant]:
        rows = await info.context.loaders.variants_by_product.load(self.row.id)
        return [Variant.from_model(row, self.row.currency) for row in rows]

    @strawberry.field(description="Lower-case tags, alphabetical.")
    async def tags(self, info: Info) -> list[str]:
        return [row.tag for row in await info.context.loaders.tags_by_product.load(self.row.id)]

    @strawberry.field(description="Who sells it.")
    async def merchant(self, info: Info) -> Merchant:
        row = await info.context.loaders.merchant_by_id.load(self.row.merchant_id)
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
        sort: ReviewSort = ReviewSort.HELPFUL,
        with_media: bool | None = None,
        rating: int | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Review]:
        return await product_reviews(
            self.row.id,
            info,
            sort=sort,
            with_media=with_media,
            rating=rating,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Where it sits in the category tree, if anywhere.")
    async def category(self, info: Info) -> Category | None:
        if self.row.category_id is None:
            return None
        row = await info.context.loaders.category_by_id.load(self.row.category_id)
        return Category.from_model(row) if row else None


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


@strawberry.type(description="The merchant after the change.")
class MerchantSuccess:
    merchant: Merchant


@strawberry.type(description="The new category.")
class CreateCategorySuccess:
    category: Category


@strawberry.type(description="The product after the change.")
class ProductSuccess:
    product: Product


@strawberry.type(description="The variant after the change.")
class VariantSuccess:
    variant: Variant


CreateMerchantPayload = Annotated[
    MerchantSuccess | ValidationError | ConflictError, strawberry.union("CreateMerchantPayload")
]
UpdateMerchantPayload = Annotated[
    MerchantSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("UpdateMerchantPayload"),
]
MerchantStaffPayload = Annotated[
    MerchantSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("MerchantStaffPayload"),
]
CreateCategoryPayload = Annotated[
    CreateCategorySuccess | ValidationError | NotFoundError | ConflictError,
    strawberry.union("CreateCategoryPayload"),
]
ProductPayload = Annotated[
    ProductSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("ProductPayload"),
]
VariantPayload = Annotated[
    VariantSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("VariantPayload"),
]


def _changes(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


async def _variant_success(info: Info, row: VariantModel) -> VariantSuccess:
    product = await info.context.loaders.product_by_id.load(row.product_id)
    return VariantSuccess(variant=Variant.from_model(row, product.currency if product else None))


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="A product by id or slug; null if missing or not visible.")
    async def product(
        self, info: Info, id: strawberry.ID | None = None, slug: str | None = None
    ) -> Product | None:
        row = await catalog.find_product(
            info.context, product_id=decode_id(id, "Product", field="id") if id else None, slug=slug
        )
        return Product.from_model(row) if row else None

    @strawberry.field(description="Active products, filtered and sorted. Paged by cursor.")
    async def products(
        self,
        info: Info,
        filter: ProductFilter | None = None,
        sort: ProductSort = ProductSortModel.NEWEST,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Product]:
        page = await catalog.list_products(
            info.context,
            where=filter.to_spec() if filter else ProductFilterSpec(),
            sort=ProductSortModel(sort),
            args=page_args(first, after, last, before),
        )
        return to_connection(page, Product.from_model)

    @strawberry.field(description="A merchant by slug, or null.")
    async def merchant(self, info: Info, slug: str) -> Merchant | None:
        row = await MerchantModel.filter(slug=slug.strip().lower()).first()
        return Merchant.from_model(row) if row else None

    @strawberry.field(description="The top of the category tree.")
    async def categories(self, info: Info) -> list[Category]:
        rows = await CategoryModel.filter(parent_id=None).order_by("position", "name")
        return [Category.from_model(row) for row in rows]


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
    ) -> MerchantStaffPayload | None:
        row = await catalog.add_merchant_staff(
            info.context,
            merchant_id=decode_id(merchant_id, "Merchant", field="merchantId"),
            handle=handle,
        )
        return MerchantSuccess(merchant=Merchant.from_model(row))

    @strawberry.mutation(description="Take a user off this merchant's staff.")
    async def remove_merchant_staff(
        self, info: Info, merchant_id: strawberry.ID, handle: str
    ) -> MerchantStaffPayload | None:
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
        status: ProductStatus = ProductStatusModel.DRAFT,  # type: ignore[valid-type]
    ) -> ProductPayload | None:
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
            status=ProductStatusModel(status),
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
    ) -> ProductPayload | None:
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
    ) -> VariantPayload | None:
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
    ) -> VariantPayload | None:
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
    ) -> VariantPayload | None:
        row = await catalog.adjust_variant_stock(
            info.context,
            variant_id=decode_id(variant_id, "Variant", field="variantId"),
            delta=delta,
        )
        return await _variant_success(info, row)

    @strawberry.mutation(description="Remove a variant (a product keeps at least one).")
    async def delete_variant(self, info: Info, variant_id: strawberry.ID) -> VariantPayload | None:
        row = await catalog.delete_variant(
            info.context, variant_id=decode_id(variant_id, "Variant", field="variantId")
        )
        return await _variant_success(info, row)
