"""Catalog: merchants, categories, products and variants, end to end through /graphql."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import pytest

from models.accounts import Role
from models.catalog import Category, Merchant, MerchantStaff, Product, ProductStatus, Variant
from resolvers.principal import Scope
from schema.catalog import CatalogMutation
from tests.authz import FORBIDDEN, Actor, Matrix, World, row
from tests.factories import MakeApp, MakeAppToken, MakeMerchant, MakeProduct, SignIn
from tests.utils import GraphQLClient, gid

CREATE_PRODUCT = """
mutation($merchant: ID!, $title: String!, $variants: [VariantInput!]!, $html: String!,
         $tags: [String!], $status: ProductStatus) {
  createProduct(merchantId: $merchant, title: $title, variants: $variants,
                descriptionHtml: $html, tags: $tags, status: $status) {
    __typename
    ... on ProductSuccess { product { id slug descriptionHtml tags status inStock
        priceRange { min { amount currency } max { amount decimal } }
        variants { sku options { name value } price { amount } quantityAvailable } } }
    ... on ValidationError { field message }
    ... on ConflictError { message }
    ... on PermissionDeniedError { message }
  }
}
"""
VARIANTS = [
    {
        "sku": "TEA-50",
        "title": "50 g",
        "price": 1250,
        "stock": 5,
        "options": [{"name": "size", "value": "50g"}],
    },
    {"sku": "TEA-100", "title": "100 g", "price": 2200, "stock": 0},
]


async def test_merchant_creates_a_product_with_sanitised_description(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=owner.user)

    data = await gql.data(
        CREATE_PRODUCT,
        {
            "merchant": gid("Merchant", merchant.id),
            "title": "Dragon Well Green Tea",
            "variants": VARIANTS,
            "tags": ["Tea", "green", "tea"],
            "status": "ACTIVE",
            "html": '<p onclick="x()">Fresh <script>alert(1)</script><a href="javascript:x">'
            'leaves</a> <a href="https://tea.example">farm</a></p>',
        },
        token=owner.token,
    )

    product = data["createProduct"]["product"]
    assert product["slug"] == "dragon-well-green-tea"
    assert "script" not in product["descriptionHtml"]
    assert "onclick" not in product["descriptionHtml"]
    assert "javascript" not in product["descriptionHtml"]
    assert 'href="https://tea.example"' in product["descriptionHtml"]
    assert product["tags"] == ["green", "tea"]
    assert product["inStock"] is True
    assert product["priceRange"] == {
        "min": {"amount": 1250, "currency": "USD"},
        "max": {"amount": 2200, "decimal": "22.00"},
    }
    assert [v["sku"] for v in product["variants"]] == ["TEA-50", "TEA-100"]
    row = await Product.get(slug="dragon-well-green-tea")
    assert (row.min_price, row.total_stock) == (1250, 5)


async def test_duplicate_sku_is_a_conflict_and_writes_nothing(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=owner.user)
    existing = await make_product(merchant=merchant)
    taken_sku = (await Variant.get(product_id=existing.id)).sku

    data = await gql.data(
        CREATE_PRODUCT,
        {
            "merchant": gid("Merchant", merchant.id),
            "title": "Another",
            "html": "",
            "variants": [{"sku": taken_sku, "title": "x", "price": 1}],
            "status": "DRAFT",
        },
        token=owner.token,
    )

    assert data["createProduct"]["__typename"] == "ConflictError"
    assert await Product.filter(title="Another").count() == 0


@pytest.mark.parametrize(
    ("variants", "field"),
    [
        ([], "variants"),
        ([{"sku": "A", "title": "x", "price": -1}], "variants"),
        ([{"sku": "A", "title": "x", "price": 5, "stock": -2}], "variants"),
    ],
)
async def test_bad_variants_are_rejected(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    variants: list[dict[str, Any]],
    field: str,
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=owner.user)

    data = await gql.data(
        CREATE_PRODUCT,
        {
            "merchant": gid("Merchant", merchant.id),
            "title": "T",
            "html": "",
            "variants": variants,
            "status": "DRAFT",
        },
        token=owner.token,
    )

    assert data["createProduct"]["__typename"] == "ValidationError"
    assert data["createProduct"]["field"] == field


async def test_drafts_are_visible_only_to_their_merchant(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=owner.user)
    draft = await make_product(merchant=merchant, status=ProductStatus.DRAFT)
    query = "query($slug: String!) { product(slug: $slug) { title status } }"

    public = await gql.data(query, {"slug": draft.slug})
    mine = await gql.data(query, {"slug": draft.slug}, token=owner.token)
    listing = await gql.data("{ products { totalCount } }")

    assert public == {"product": None}
    assert mine == {"product": {"title": draft.title, "status": "DRAFT"}}
    assert listing == {"products": {"totalCount": 0}}


LIST = """
query($filter: ProductFilter, $sort: ProductSort!, $first: Int, $after: String) {
  products(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { title } }
  }
}
"""


async def titles(
    gql: GraphQLClient, sort: str = "NEWEST", filter: dict[str, Any] | None = None, page: int = 100
) -> list[str]:
    """Every title of the listing, walking the pages `page` at a time."""
    found: list[str] = []
    after = None
    while True:
        data = (
            await gql.data(LIST, {"sort": sort, "filter": filter, "first": page, "after": after})
        )["products"]
        found += [edge["node"]["title"] for edge in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            return found
        after = data["pageInfo"]["endCursor"]


async def test_filters(
    gql: GraphQLClient, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    tea_house, gear_shop = await make_merchant(), await make_merchant()
    drinks = await Category.create(name="Drinks", slug="drinks")
    tea = await Category.create(name="Tea", slug="tea", parent_id=drinks.id)
    await make_product(
        merchant=tea_house, title="Green Tea", variants=[(1200, 3)], tags=["green"], category=tea
    )
    await make_product(merchant=tea_house, title="Black Tea", variants=[(900, 0)], category=tea)
    await make_product(merchant=tea_house, title="Cold Brew", variants=[(400, 9)], category=drinks)
    await make_product(merchant=gear_shop, title="Tent", variants=[(25000, 1)], tags=["green"])

    assert sorted(await titles(gql, filter={"categoryId": gid("Category", drinks.id)})) == [
        "Black Tea",
        "Cold Brew",
        "Green Tea",
    ]
    assert sorted(await titles(gql, filter={"categoryId": gid("Category", tea.id)})) == [
        "Black Tea",
        "Green Tea",
    ]
    assert await titles(gql, filter={"merchantId": gid("Merchant", gear_shop.id)}) == ["Tent"]
    assert sorted(await titles(gql, filter={"minPrice": 500, "maxPrice": 1500})) == [
        "Black Tea",
        "Green Tea",
    ]
    assert "Black Tea" not in await titles(gql, filter={"inStock": True})
    assert await titles(gql, filter={"inStock": False}) == ["Black Tea"]
    assert sorted(await titles(gql, filter={"tag": "GREEN"})) == ["Green Tea", "Tent"]
    assert sorted(await titles(gql, filter={"search": "tea"})) == ["Black Tea", "Green Tea"]


@pytest.mark.smoke
async def test_sorts_page_through_every_product_once(
    gql: GraphQLClient, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    merchant = await make_merchant()
    specs = [
        ("A", 500, 3, 10, 5),
        ("B", 500, 0, 0, 0),
        ("C", 900, 7, 2, 4),
        ("D", 100, 7, 4, 4),
        ("E", 2000, 1, 1, 1),
        ("F", 900, 0, 3, 2),
    ]
    for title, price, sold, rating_sum, rating_count in specs:
        product = await make_product(merchant=merchant, title=title, variants=[(price, 1)])
        await Product.filter(id=product.id).update(
            units_sold=sold, rating_sum=rating_sum, rating_count=rating_count
        )

    for page in (1, 2, 100):
        assert await titles(gql, "NEWEST", page=page) == ["F", "E", "D", "C", "B", "A"]
        assert await titles(gql, "PRICE_ASC", page=page) == ["D", "A", "B", "C", "F", "E"]
        assert await titles(gql, "PRICE_DESC", page=page) == ["E", "F", "C", "B", "A", "D"]
        assert await titles(gql, "BEST_SELLING", page=page) == ["D", "C", "A", "E", "F", "B"]
        # averages: A 2.0, B none (0), C 0.5, D 1.0, E 1.0, F 1.5
        assert await titles(gql, "RATING", page=page) == ["A", "F", "E", "D", "C", "B"]


async def test_adjusting_stock_never_goes_below_zero(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    product = await make_product(
        merchant=await make_merchant(owner=owner.user), variants=[(1000, 10)]
    )
    variant = await Variant.get(product_id=product.id)
    adjust = """mutation($id: ID!, $delta: Int!) { adjustVariantStock(variantId: $id, delta: $delta)
                { __typename ... on VariantSuccess { variant { quantityAvailable } }
                  ... on ValidationError { field } } }"""

    results = await asyncio.gather(
        *(
            gql.data(adjust, {"id": gid("Variant", variant.id), "delta": -3}, token=owner.token)
            for _ in range(5)
        )
    )

    succeeded = [r for r in results if r["adjustVariantStock"]["__typename"] == "VariantSuccess"]
    assert len(succeeded) == 3
    assert (await Variant.get(id=variant.id)).stock == 1
    assert (await Product.get(id=product.id)).total_stock == 1


async def test_variant_changes_keep_price_and_stock_columns_exact(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    product = await make_product(
        merchant=await make_merchant(owner=owner.user), variants=[(1000, 2), (3000, 4)]
    )
    cheap = await Variant.filter(product_id=product.id).order_by("price").first()
    assert cheap is not None

    await gql.data(
        "mutation($id: ID!) { updateVariant(variantId: $id, price: 5000, stock: 0) "
        "{ __typename } }",
        {"id": gid("Variant", cheap.id)},
        token=owner.token,
    )
    added = await gql.data(
        'mutation($id: ID!) { addVariant(productId: $id, variant: {sku: "NEW-1", title: "XL",'
        " price: 700, stock: 1}) { __typename } }",
        {"id": gid("Product", product.id)},
        token=owner.token,
    )

    assert added["addVariant"]["__typename"] == "VariantSuccess"
    row = await Product.get(id=product.id)
    assert (row.min_price, row.total_stock) == (700, 5)


# ---- authorization matrix (tests/authz.py runs it) -----------------------------------------


def _merchant(w: World) -> dict[str, Any]:
    return {"m": gid("Merchant", w.merchant.id)}


def _product(w: World) -> dict[str, Any]:
    return {"p": gid("Product", w.product.id)}


def _variant(w: World) -> dict[str, Any]:
    return {"v": gid("Variant", w.variant.id)}


# The merchant's managers: its owner (and staff) and admins; apps need write:commerce.
MANAGERS: set[Actor] = {"owner", "admin"}
MANAGED: dict[str, Any] = {"owner": "seller", "scope": Scope.WRITE_COMMERCE}


async def _snapshot(w: World) -> Any:
    product = await Product.get(id=w.product.id)
    return (
        (product.title, product.min_price, product.total_stock),
        await Variant.filter(product_id=product.id).count(),
        (await Merchant.get(id=w.merchant.id)).name,
        await Merchant.all().count(),
        await Category.all().count(),
    )


MATRIX = Matrix(
    snapshot=_snapshot,
    domain=[CatalogMutation],
    rows=[
        row(
            "updateMerchant",
            'mutation($m: ID!) { updateMerchant(merchantId: $m, name: "N") { __typename } }',
            _merchant,
            allowed=MANAGERS,
            success="MerchantSuccess",
            **MANAGED,
        ),
        row(
            "addMerchantStaff",
            "mutation($m: ID!) { addMerchantStaff(merchantId: $m, handle: "
            '"nobody_here") { __typename } }',
            _merchant,
            allowed=MANAGERS,
            success="NotFoundError",  # past the check, the handle is unknown
            changes=False,
            **MANAGED,
        ),
        row(
            "createProduct",
            'mutation($m: ID!) { createProduct(merchantId: $m, title: "New", '
            'variants: [{sku: "Z-1", title: "z", price: 1}]) { __typename } }',
            _merchant,
            allowed=MANAGERS,
            success="ProductSuccess",
            **MANAGED,
        ),
        row(
            "updateProduct",
            'mutation($p: ID!) { updateProduct(productId: $p, title: "Renamed") { __typename } }',
            _product,
            allowed=MANAGERS,
            success="ProductSuccess",
            **MANAGED,
        ),
        row(
            "addVariant",
            'mutation($p: ID!) { addVariant(productId: $p, variant: {sku: "Z-2", '
            'title: "z", price: 1}) { __typename } }',
            _product,
            allowed=MANAGERS,
            success="VariantSuccess",
            **MANAGED,
        ),
        row(
            "updateVariant",
            "mutation($v: ID!) { updateVariant(variantId: $v, price: 1) { __typename } }",
            _variant,
            allowed=MANAGERS,
            success="VariantSuccess",
            **MANAGED,
        ),
        row(
            "adjustVariantStock",
            "mutation($v: ID!) { adjustVariantStock(variantId: $v, delta: 1) { __typename } }",
            _variant,
            allowed=MANAGERS,
            success="VariantSuccess",
            **MANAGED,
        ),
        row(
            "deleteVariant",
            "mutation($v: ID!) { deleteVariant(variantId: $v) { __typename } }",
            _variant,
            allowed=MANAGERS,
            success="VariantSuccess",
            **MANAGED,
        ),
        row(
            "removeMerchantStaff",
            'mutation($m: ID!) { removeMerchantStaff(merchantId: $m, handle: "nobody_here") '
            "{ __typename } }",
            _merchant,
            allowed=MANAGERS,
            success="NotFoundError",
            changes=False,
            **MANAGED,
        ),
        # Not about an existing merchant: who may call them at all.
        row(  # merchants open their own (apps: write:commerce), admins too; not moderators
            "createMerchant",
            'mutation { createMerchant(name: "Fresh Shop") { __typename } }',
            allowed=["other_merchant", "owner", "admin"],
            success="MerchantSuccess",
            refusal=FORBIDDEN,
            **MANAGED,
        ),
        row(  # the tree is the platform's: admins only, in person
            "createCategory",
            'mutation { createCategory(name: "Gadgets") { __typename } }',
            allowed=["admin"],
            success="CreateCategorySuccess",
            refusal=FORBIDDEN,
            owner="seller",
        ),
    ],
)
test_every_catalog_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()


async def test_staff_manage_the_catalog_whatever_their_role(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    helper = await sign_in(role=Role.SHOPPER)
    merchant = await make_merchant(owner=owner.user)
    variables = {
        "merchant": gid("Merchant", merchant.id),
        "title": "Staff pick",
        "html": "",
        "variants": [{"sku": "STAFF-1", "title": "one", "price": 500}],
        "status": "DRAFT",
    }

    before = await gql.data(CREATE_PRODUCT, variables, token=helper.token)
    added = await gql.data(
        "mutation($m: ID!, $h: String!) { addMerchantStaff(merchantId: $m, handle: $h) "
        "{ __typename } }",
        {"m": gid("Merchant", merchant.id), "h": helper.user.handle},
        token=owner.token,
    )
    after = await gql.data(CREATE_PRODUCT, variables, token=helper.token)

    assert before["createProduct"]["__typename"] == "PermissionDeniedError"
    assert added == {"addMerchantStaff": {"__typename": "MerchantSuccess"}}
    assert after["createProduct"]["__typename"] == "ProductSuccess"


async def test_shoppers_cannot_open_a_merchant(gql: GraphQLClient, sign_in: SignIn) -> None:
    shopper = await sign_in(role=Role.SHOPPER)
    merchant = await sign_in(role=Role.MERCHANT)
    query = 'mutation { createMerchant(name: "Tea House") { __typename } }'

    denied = await gql.post(query, token=shopper.token)
    allowed = await gql.data(query, token=merchant.token)

    assert denied.codes == ["FORBIDDEN"]
    assert allowed == {"createMerchant": {"__typename": "MerchantSuccess"}}


async def test_listing_sql_does_not_grow_with_page_size(
    gql: GraphQLClient, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    merchants = [await make_merchant() for _ in range(3)]
    category = await Category.create(name="All", slug="all")
    for n in range(30):
        await make_product(
            merchant=merchants[n % 3],
            variants=[(100 + n, 1), (200, 0)],
            tags=["a", "b"],
            category=category,
        )
    query = """query($n: Int!) { products(first: $n, sort: PRICE_ASC) { edges { node {
        title tags priceRange { min { amount } } merchant { name owner { handle } }
        category { name parent { name } } variants { sku quantityAvailable inStock } } } } }"""

    small = await gql.post(query, {"n": 2})
    large = await gql.post(query, {"n": 30})

    assert not small.errors
    assert not large.errors
    assert len(large.data["products"]["edges"]) == 30
    assert small.sql == large.sql == 6  # page, variants, tags, merchants, owners, categories


async def test_refusals_name_the_role_or_the_scope_that_is_missing(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    """A person is told about their role, an app about its scope (and its owner's role)."""
    creator, moderator = await sign_in(role=Role.CREATOR), await sign_in(role=Role.MODERATOR)
    merchant_user = await sign_in(role=Role.MERCHANT)
    cut_app = await make_app_token(await make_app(creator.user, scopes=["write:commerce"]))
    bare_app = await make_app_token(await make_app(merchant_user.user, scopes=["read:content"]))
    open_shop = 'mutation { createMerchant(name: "Fresh Shop") { __typename } }'
    new_category = 'mutation { createCategory(name: "Gadgets") { __typename } }'

    as_creator = await gql.post(open_shop, token=creator.token)
    as_cut_app = await gql.post(open_shop, token=cut_app)
    as_bare_app = await gql.post(open_shop, token=bare_app)
    as_moderator = await gql.post(new_category, token=moderator.token)

    def refusal(response: Any) -> tuple[str, dict[str, Any]]:
        [error] = response.errors
        return error["message"], error["extensions"]

    assert refusal(as_creator) == (
        "This needs the merchant or admin role (yours: creator).",
        {"code": "FORBIDDEN", "roles": ["MERCHANT", "ADMIN"]},
    )
    assert refusal(as_cut_app) == (
        "This needs the write:commerce scope, which the app's owner's role (creator) does "
        "not allow.",
        {"code": "FORBIDDEN", "scope": "write:commerce"},
    )
    assert refusal(as_bare_app) == (
        "This needs the write:commerce scope.",
        {"code": "FORBIDDEN", "scope": "write:commerce"},
    )
    assert refusal(as_moderator) == (
        "This needs the admin role (yours: moderator).",
        {"code": "FORBIDDEN", "roles": ["ADMIN"]},
    )


VIEWER_MERCHANTS = "{ viewer { merchants { id name slug } } }"
USER_MERCHANTS = "query($h: String!) { user(handle: $h) { merchants { id } } }"


async def test_viewer_merchants_lists_owned_and_staffed_storefronts_in_constant_sql(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> None:
    few, many = await sign_in(role=Role.MERCHANT), await sign_in(role=Role.MERCHANT)
    own = await make_merchant(owner=few.user)
    owned = [await make_merchant(owner=many.user) for _ in range(2)]
    staffed = await make_merchant()
    await MerchantStaff.create(merchant_id=staffed.id, user_id=many.user.id)
    await MerchantStaff.create(merchant_id=own.id, user_id=many.user.id)

    await gql.post("{ viewer { id } }", token=few.token)  # the sessions' last-use writes
    await gql.post("{ viewer { id } }", token=many.token)
    small = await gql.post(VIEWER_MERCHANTS, token=few.token)
    large = await gql.post(VIEWER_MERCHANTS, token=many.token)

    def shown(merchants: list[Merchant]) -> list[dict[str, str]]:
        return [{"id": gid("Merchant", m.id), "name": m.name, "slug": m.slug} for m in merchants]

    assert small.data == {"viewer": {"merchants": shown([own])}}
    assert large.data == {"viewer": {"merchants": shown([own, *owned, staffed])}}
    assert large.sql == small.sql

    admin, stranger = await sign_in(role=Role.ADMIN), await sign_in()
    handle = {"h": few.user.handle}
    reader = await make_app_token(await make_app(few.user, scopes=["read:commerce"]))
    bare = await make_app_token(await make_app(few.user, scopes=["read:content"]))
    ids = {"merchants": [{"id": gid("Merchant", own.id)}]}
    assert await gql.data(USER_MERCHANTS, handle, token=admin.token) == {"user": ids}
    assert await gql.data(USER_MERCHANTS, handle, token=reader) == {"user": ids}
    assert await gql.data(USER_MERCHANTS, handle, token=stranger.token) == {
        "user": {"merchants": None}
    }
    assert await gql.data(USER_MERCHANTS, handle) == {"user": {"merchants": None}}
    refused = await gql.post(USER_MERCHANTS, handle, token=bare)
    assert refused.codes == ["FORBIDDEN"]
    assert refused.errors[0]["extensions"]["scope"] == "read:commerce"


async def test_null_sort_and_status_arguments_mean_their_defaults(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    """relay-compiler refuses non-null variables with defaults, so these are nullable."""
    owner = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=owner.user)
    for price in (3000, 1000, 2000):
        await make_product(merchant=merchant, variants=[(price, 1)])
    listing = """query($sort: ProductSort, $reviews: ReviewSort) {
      products(sort: $sort, first: 10) { edges { node { slug reviews(sort: $reviews) {
        totalCount } } } } }"""

    omitted = await gql.data(listing, {})
    as_null = await gql.data(listing, {"sort": None, "reviews": None})
    cheapest = await gql.data(listing, {"sort": "PRICE_ASC"})
    created = await gql.data(
        CREATE_PRODUCT,
        {
            "merchant": gid("Merchant", merchant.id),
            "title": "Null Status",
            "variants": VARIANTS[:1],
            "html": "",
            "tags": None,
            "status": None,
        },
        token=owner.token,
    )

    assert as_null == omitted
    assert as_null != cheapest  # NEWEST, not some other order
    assert created["createProduct"]["product"]["status"] == "DRAFT"


# ---- input the database cannot take (found by tests/core/test_fuzz.py, masked errors before) --

SORTED_AFTER = (
    "query($after: String) { products(sort: PRICE_ASC, after: $after) { edges { cursor } } }"
)


def sort_cursor(value: Any, row_id: Any) -> str:
    """A sort cursor as the API encodes one (resolvers/pagination.py), holding any values."""
    text = "k:" + json.dumps([value, row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("value", "row_id"),
    [("1250", 1), ("x", 1), (10**20, 1), (1250, 10**20)],
    ids=["price-as-text", "text", "price-beyond-bigint", "id-beyond-bigint"],
)
async def test_a_sort_cursor_holding_the_wrong_type_is_bad_input(
    gql: GraphQLClient, value: Any, row_id: Any
) -> None:
    reply = await gql.post(SORTED_AFTER, {"after": sort_cursor(value, row_id)})

    assert reply.codes == ["BAD_USER_INPUT"]
    assert reply.errors[0]["extensions"]["argument"] == "after"
    assert reply.sql == 0


async def test_product_titles_and_search_terms_holding_nul_are_refused(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=owner.user)
    product = await make_product(merchant=merchant, title="Oolong")

    created = await gql.post(
        CREATE_PRODUCT,
        {
            "merchant": gid("Merchant", merchant.id),
            "title": "Oolong\x00",
            "variants": VARIANTS,
            "html": "",
        },
        token=owner.token,
    )
    variant_sku = await gql.post(
        CREATE_PRODUCT,
        {
            "merchant": gid("Merchant", merchant.id),
            "title": "Sencha",
            "variants": [{**VARIANTS[1], "sku": "TEA\x00-9"}],
            "html": "",
        },
        token=owner.token,
    )
    renamed = await gql.post(
        'mutation($id: ID!) { updateProduct(productId: $id, title: "Oo\\u0000long") '
        "{ __typename } }",
        {"id": gid("Product", product.id)},
        token=owner.token,
    )
    searched = await gql.post(
        "query($q: String) { products(filter: {search: $q}) { edges { cursor } } }",
        {"q": "a\x00b"},
    )

    assert created.codes == ["BAD_USER_INPUT"]
    assert created.errors[0]["extensions"]["variable"] == "title"
    assert variant_sku.codes == ["BAD_USER_INPUT"]
    assert "at [0].sku" in variant_sku.errors[0]["message"]
    assert renamed.codes == ["BAD_USER_INPUT"]
    assert renamed.errors[0]["extensions"]["argument"] == "title"
    assert searched.codes == ["BAD_USER_INPUT"]
    assert searched.sql == 0
    assert await Product.filter(merchant_id=merchant.id).count() == 1
    assert (await Product.get(id=product.id)).title == "Oolong"


async def test_stock_stays_within_its_column(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=owner.user)
    product = await make_product(merchant=merchant, variants=[(1000, 10)])
    variant = await Variant.get(product_id=product.id)
    adjust = """mutation($id: ID!, $delta: Int!) { adjustVariantStock(variantId: $id, delta: $delta)
                { __typename ... on ValidationError { field message } } }"""
    max_stock = 10**7  # resolvers/catalog/checks.py: 100 variants' sum still fits 32 bits

    overflow = await gql.data(
        adjust, {"id": gid("Variant", variant.id), "delta": 2**31 - 1}, token=owner.token
    )
    past_the_cap = await gql.data(
        adjust, {"id": gid("Variant", variant.id), "delta": max_stock - 5}, token=owner.token
    )
    # Every variant within the cap, yet their sum beyond a 32-bit total_stock without it.
    summed = await gql.post(
        CREATE_PRODUCT,
        {
            "merchant": gid("Merchant", merchant.id),
            "title": "Bulk",
            "variants": [{**VARIANTS[1], "sku": f"BULK-{n}", "stock": 2**30} for n in range(2)],
            "html": "",
        },
        token=owner.token,
    )

    assert overflow["adjustVariantStock"]["__typename"] == "ValidationError"
    assert overflow["adjustVariantStock"]["field"] == "delta"
    assert past_the_cap["adjustVariantStock"]["__typename"] == "ValidationError"
    assert summed.codes == []
    assert summed.data["createProduct"]["__typename"] == "ValidationError"
    assert (await Variant.get(id=variant.id)).stock == 10
    assert (await Product.get(id=product.id)).total_stock == 10


async def test_slugs_tags_and_handles_longer_than_their_columns_name_nothing(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant
) -> None:
    # Found by tests/core/test_fuzz.py: each lookup failed on the value's length (masked).
    owner = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=owner.user)

    product = await gql.post("query($s: String) { product(slug: $s) { id } }", {"s": "a" * 121})
    storefront = await gql.post("query($s: String!) { merchant(slug: $s) { id } }", {"s": "a" * 81})
    tagged = await gql.post(
        "query($t: String) { products(filter: {tag: $t}) { totalCount } }", {"t": "a" * 41}
    )
    staff = {
        name: await gql.data(
            f"mutation($m: ID!, $h: String!) {{ {name}(merchantId: $m, handle: $h) "
            "{ __typename } }",
            {"m": gid("Merchant", merchant.id), "h": "a" * 31},
            token=owner.token,
        )
        for name in ("addMerchantStaff", "removeMerchantStaff")
    }

    assert (product.data, product.errors, product.sql) == ({"product": None}, [], 0)
    assert (storefront.data, storefront.errors, storefront.sql) == ({"merchant": None}, [], 0)
    assert tagged.codes == ["BAD_USER_INPUT"]
    assert tagged.errors[0]["extensions"]["argument"] == "tag"
    assert staff == {
        "addMerchantStaff": {"addMerchantStaff": {"__typename": "NotFoundError"}},
        "removeMerchantStaff": {"removeMerchantStaff": {"__typename": "NotFoundError"}},
    }
