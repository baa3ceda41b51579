"""Post media (cover, gallery) and shoppable product tags, through the API: what may be
attached and tagged, how tags read (live product, price, stock), availability, the SQL a post
page and a listing cost, attribution to the post and its author, Product.mentionedIn."""

from __future__ import annotations

import asyncio
from typing import Any

from models.accounts import Role
from models.catalog import Product, ProductStatus, Variant
from models.content import Post, PostStatus, ShoppableTag
from models.media import MediaKind
from resolvers.content import MAX_TAGS_PER_MEDIA
from tests.carts.shop import Shop, pk, variant_of
from tests.content.support import publish
from tests.content.tagging import point, post_with_media, ready, set_tags
from tests.factories import MakeMerchant, MakeProduct, SignedInUser, SignIn
from tests.reviews.support import delivered_line
from tests.utils import GraphQLClient, gid

UPDATE_MEDIA = """
mutation($id: ID!, $cover: ID, $media: [ID!]) {
  updatePost(postId: $id, coverMediaId: $cover, mediaIds: $media) {
    __typename
    ... on UpdatePostSuccess { post { cover { id } media { id } revisionCount } }
    ... on ValidationError { field message }
  }
}
"""
UPDATE_TITLE = """
mutation($id: ID!) { updatePost(postId: $id, title: "Renamed") {
  __typename ... on UpdatePostSuccess { post { cover { id } media { id } } } } }
"""
RESTORE = """
mutation($id: ID!, $n: Int!) { restorePostRevision(postId: $id, number: $n) {
  __typename ... on RestorePostRevisionSuccess { post { cover { id } media { id } } } } }
"""
PAGE = """
query($slug: String!) {
  post(slug: $slug) {
    title author { handle }
    cover { id url thumbnail }
    media { id url }
    tags { x y atSeconds media { id }
      product { id title inStock priceRange { min { amount currency } } }
      variant { id price { amount } quantityAvailable } }
    products { id title inStock }
    hasUnavailableProducts
  }
}
"""
TAGS = """
query($id: ID!, $media: ID) {
  node(id: $id) { ... on Post { tags(mediaId: $media) { x y atSeconds position
    product { id } variant { id } media { id } } products { id } hasUnavailableProducts } } }
"""
LISTING = """
query($n: Int!) {
  posts(first: $n) { edges { node { title author { handle } cover { id url } media { id }
    tags { x y product { title priceRange { min { amount } } inStock }
      variant { quantityAvailable } }
    products { id } hasUnavailableProducts } } }
}
"""
MENTIONED = """
query($id: ID!, $first: Int, $after: String) {
  product(id: $id) { mentionedIn(first: $first, after: $after) {
    edges { node { __typename id slug title publishedAt author { handle }
      cover { id } products { id } hasUnavailableProducts ... on Post { status } } }
    pageInfo { hasNextPage endCursor } totalCount } }
}
"""
FILTERED = """
query($filter: PostFilter) { posts(filter: $filter) { edges { node { title } } } }
"""


async def _creator(sign_in: SignIn) -> SignedInUser:
    return await sign_in(role=Role.CREATOR)


async def _tagged_post(
    gql: GraphQLClient, author: SignedInUser, tags: list[dict[str, Any]], title: str = "Shoppable"
) -> tuple[dict[str, Any], str]:
    """A published post by `author` with a cover carrying `tags`; (post, cover id)."""
    cover = await ready(author.user.id)
    post = await post_with_media(gql, author.token, cover, [], title=title)
    result = await set_tags(gql, author.token, post["id"], cover, tags)
    assert result["__typename"] == "SetMediaTagsSuccess", result
    assert (await publish(gql, author.token, post["id"]))["__typename"] == "PublishPostSuccess"
    return post, cover


async def test_a_post_takes_a_cover_and_a_gallery_of_its_authors_ready_media(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    ana = await _creator(sign_in)
    other = await _creator(sign_in)
    cover, first, second = [await ready(ana.user.id) for _ in range(3)]
    theirs = await ready(other.user.id)

    post = await post_with_media(gql, ana.token, cover, [first, second, first])
    refused = await gql.data(
        UPDATE_MEDIA, {"id": post["id"], "media": [first, theirs]}, token=ana.token
    )
    too_many = await gql.data(
        UPDATE_MEDIA,
        {"id": post["id"], "media": [await ready(ana.user.id) for _ in range(21)]},
        token=ana.token,
    )
    bad_cover = await gql.data(UPDATE_MEDIA, {"id": post["id"], "cover": theirs}, token=ana.token)
    untouched = await gql.data(UPDATE_TITLE, {"id": post["id"]}, token=ana.token)
    cleared = await gql.data(UPDATE_MEDIA, {"id": post["id"], "cover": None}, token=ana.token)

    assert post["cover"] == {"id": cover}
    assert post["media"] == [{"id": first}, {"id": second}]  # de-duplicated, in order
    assert refused["updatePost"]["field"] == "mediaIds"
    assert too_many["updatePost"]["field"] == "mediaIds"
    assert bad_cover["updatePost"]["field"] == "coverMediaId"
    # Omitted arguments keep the media; an explicit null cover removes it.
    assert untouched["updatePost"]["post"] == {
        "cover": {"id": cover},
        "media": [{"id": first}, {"id": second}],
    }
    assert cleared["updatePost"]["post"]["cover"] is None
    assert cleared["updatePost"]["post"]["media"] == [{"id": first}, {"id": second}]


async def test_restoring_a_revision_brings_its_media_back(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    ana = await _creator(sign_in)
    cover, first, second = [await ready(ana.user.id) for _ in range(3)]
    post = await post_with_media(gql, ana.token, cover, [first])
    changed = await gql.data(
        UPDATE_MEDIA, {"id": post["id"], "cover": None, "media": [second]}, token=ana.token
    )

    restored = await gql.data(RESTORE, {"id": post["id"], "n": 1}, token=ana.token)

    assert changed["updatePost"]["post"]["media"] == [{"id": second}]
    assert restored["restorePostRevision"]["post"] == {
        "cover": {"id": cover},
        "media": [{"id": first}],
    }


async def test_tags_pin_products_on_images_and_moments_of_videos(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    kettle = await make_product(variants=[(1000, 5), (1500, 0)])
    cups = await make_product(variants=[(300, 9)])
    kettle_id, cups_id = gid("Product", kettle.id), gid("Product", cups.id)
    small = gid("Variant", (await variant_of(kettle)).id)
    image, video = await ready(ana.user.id), await ready(ana.user.id, MediaKind.VIDEO)
    post = await post_with_media(gql, ana.token, image, [video])

    on_image = await set_tags(
        gql,
        ana.token,
        post["id"],
        image,
        [point(cups_id, 0.1, 0.9), point(kettle_id, 0.5, 0.25, variant=small)],
    )
    on_video = await set_tags(
        gql, ana.token, post["id"], video, [{"productId": kettle_id, "atSeconds": 12.5}]
    )
    every = await gql.data(TAGS, {"id": post["id"]}, token=ana.token)
    video_only = await gql.data(TAGS, {"id": post["id"], "media": video}, token=ana.token)
    replaced = await set_tags(gql, ana.token, post["id"], image, [point(kettle_id, 1.0, 0.0)])
    cleared = await set_tags(gql, ana.token, post["id"], video, [])
    after = await gql.data(TAGS, {"id": post["id"]}, token=ana.token)

    assert on_image["__typename"] == "SetMediaTagsSuccess"
    assert on_image["post"] == {"id": post["id"]}
    assert on_image["review"] is None
    assert [t["product"]["id"] for t in on_image["tags"]] == [cups_id, kettle_id]
    assert on_image["tags"][1]["variant"] == {"id": small}
    assert on_video["tags"] == [
        {
            "x": None,
            "y": None,
            "atSeconds": 12.5,
            "position": 0,
            "product": {"id": kettle_id},
            "variant": None,
            "media": {"id": video},
        }
    ]
    # The cover's tags first, then the gallery's; products once each, in that order.
    node = every["node"]
    assert [(t["media"]["id"], t["position"]) for t in node["tags"]] == [
        (image, 0),
        (image, 1),
        (video, 0),
    ]
    assert node["products"] == [{"id": cups_id}, {"id": kettle_id}]
    assert [t["atSeconds"] for t in video_only["node"]["tags"]] == [12.5]
    assert replaced["tags"] == [
        {
            "x": 1.0,
            "y": 0.0,
            "atSeconds": None,
            "position": 0,
            "product": {"id": kettle_id},
            "variant": None,
            "media": {"id": image},
        }
    ]
    assert cleared["tags"] == []
    assert [t["media"]["id"] for t in after["node"]["tags"]] == [image]


async def test_bad_tags_are_validation_errors_naming_the_field_and_change_nothing(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    product = await make_product()
    other = await make_product()
    draft = await make_product(status=ProductStatus.DRAFT)
    archived = await make_product(status=ProductStatus.ARCHIVED)
    pid = gid("Product", product.id)
    image, video = await ready(ana.user.id), await ready(ana.user.id, MediaKind.VIDEO)
    loose = await ready(ana.user.id)  # Ana's, but not in the post
    post, _ = await _tagged_post(gql, ana, [])
    await gql.data(UPDATE_MEDIA, {"id": post["id"], "media": [image, video]}, token=ana.token)
    await set_tags(gql, ana.token, post["id"], image, [point(pid, 0.3, 0.3)])
    before = await ShoppableTag.all().order_by("id").values_list("id", "x", "y", "product_id")

    cases: list[tuple[str, list[dict[str, Any]], str]] = [
        (image, [point(pid, 1.5, 0.5)], "tags.0.x"),
        (image, [point(pid, 0.5, 0.5), point(pid, 0.5, -0.1)], "tags.1.y"),
        (image, [{"productId": pid, "x": 0.5}], "tags.0.y"),
        (image, [{"productId": pid, "x": 0.5, "y": 0.5, "atSeconds": 3}], "tags.0.atSeconds"),
        (video, [point(pid)], "tags.0.x"),
        (video, [{"productId": pid}], "tags.0.atSeconds"),
        (video, [{"productId": pid, "atSeconds": -1}], "tags.0.atSeconds"),
        (image, [point(gid("Product", draft.id))], "tags.0.productId"),
        (image, [point(gid("Product", archived.id))], "tags.0.productId"),
        (image, [point(gid("Product", 987654))], "tags.0.productId"),
        (image, [point(gid("Variant", 1))], "tags.0.productId"),
        (
            image,
            [point(pid, variant=gid("Variant", (await variant_of(other)).id))],
            "tags.0.variantId",
        ),
        (loose, [point(pid)], "mediaId"),
        (image, [point(pid)] * (MAX_TAGS_PER_MEDIA + 1), "tags"),
    ]
    for media, tags, field in cases:
        result = await set_tags(gql, ana.token, post["id"], media, tags)
        assert result["__typename"] == "ValidationError", (field, result)
        assert result["field"] == field, (field, result)
    wrong_target = await set_tags(gql, ana.token, gid("Product", product.id), image, [point(pid)])

    assert wrong_target["field"] == "targetId"
    after = await ShoppableTag.all().order_by("id").values_list("id", "x", "y", "product_id")
    assert after == before


async def test_a_reviews_media_can_be_tagged_by_its_author(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    bought = await make_product()
    tagged = await make_product()
    await delivered_line(buyer.user, bought)
    photo = await ready(buyer.user.id)
    created = await gql.data(
        """mutation($p: ID!, $m: [ID!]) { createReview(productId: $p, rating: 5, mediaIds: $m) {
          ... on CreateReviewSuccess { review { id } } } }""",
        {"p": gid("Product", bought.id), "m": [photo]},
        token=buyer.token,
    )
    review = created["createReview"]["review"]["id"]

    stranger = await sign_in()
    refused = await set_tags(gql, stranger.token, review, photo, [point(gid("Product", tagged.id))])
    result = await set_tags(gql, buyer.token, review, photo, [point(gid("Product", tagged.id))])
    shown = await gql.data(
        """query($id: ID!) { node(id: $id) { ... on Review {
          tags { x y product { id } media { id } } } } }""",
        {"id": review},
        token=stranger.token,
    )

    assert refused["__typename"] == "PermissionDeniedError"  # a published review: not its author
    assert result["__typename"] == "SetMediaTagsSuccess"
    assert result["review"] == {"id": review}
    assert result["post"] is None
    assert shown["node"]["tags"] == [
        {"x": 0.5, "y": 0.5, "product": {"id": gid("Product", tagged.id)}, "media": {"id": photo}}
    ]


async def test_an_archived_product_stays_tagged_but_only_its_merchant_sees_it(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    kept = await make_product(variants=[(500, 3)])
    gone = await make_product(merchant=merchant, variants=[(900, 4)])
    post, _ = await _tagged_post(
        gql, ana, [point(gid("Product", kept.id)), point(gid("Product", gone.id))]
    )
    before = await gql.data(TAGS, {"id": post["id"]})

    await Product.filter(id=gone.id).update(status=ProductStatus.ARCHIVED)
    anonymous = await gql.data(TAGS, {"id": post["id"]})
    merchants = await gql.data(TAGS, {"id": post["id"]}, token=seller.token)

    assert before["node"]["hasUnavailableProducts"] is False
    assert [t["product"] for t in anonymous["node"]["tags"]] == [
        {"id": gid("Product", kept.id)},
        None,
    ]
    assert anonymous["node"]["products"] == [{"id": gid("Product", kept.id)}]
    assert anonymous["node"]["hasUnavailableProducts"] is True
    assert merchants["node"]["tags"][1]["product"] == {"id": gid("Product", gone.id)}
    assert merchants["node"]["hasUnavailableProducts"] is True
    assert await ShoppableTag.filter(product_id=gone.id).count() == 1


async def test_has_unavailable_products_follows_stock(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    product = await make_product(variants=[(500, 3), (700, 2)])
    small, large = await variant_of(product, 0), await variant_of(product, 1)
    pid = gid("Product", product.id)
    post, _ = await _tagged_post(gql, ana, [point(pid, variant=gid("Variant", small.id))])

    async def unavailable() -> bool:
        found: bool = (await gql.data(TAGS, {"id": post["id"]}))["node"]["hasUnavailableProducts"]
        return found

    in_stock = await unavailable()
    await Variant.filter(id=large.id).update(stock=0)
    await Product.filter(id=product.id).update(total_stock=3)
    other_variant_out = await unavailable()
    await Variant.filter(id=small.id).update(stock=0)
    await Variant.filter(id=large.id).update(stock=2)
    await Product.filter(id=product.id).update(total_stock=2)
    tagged_variant_out = await unavailable()

    assert (in_stock, other_variant_out, tagged_variant_out) == (False, False, True)


async def test_a_product_wholly_out_of_stock_is_unavailable(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    product = await make_product(variants=[(500, 0), (700, 0)])
    post, _ = await _tagged_post(gql, ana, [point(gid("Product", product.id))])

    reply = await gql.data(TAGS, {"id": post["id"]})

    assert reply["node"]["hasUnavailableProducts"] is True


async def _page_sql(gql: GraphQLClient, ana: SignedInUser, products: list[Product]) -> Any:
    cover = await ready(ana.user.id)
    gallery = [await ready(ana.user.id) for _ in range(3)]
    post = await post_with_media(gql, ana.token, cover, gallery, title=f"Page {len(products)}")
    tags = [
        point(gid("Product", p.id), variant=gid("Variant", (await variant_of(p)).id))
        for p in products
    ]
    result = await set_tags(gql, ana.token, post["id"], cover, tags)
    assert result["__typename"] == "SetMediaTagsSuccess", result
    await publish(gql, ana.token, post["id"])
    return await gql.post(PAGE, {"slug": post["slug"]})


async def test_a_post_page_costs_the_same_sql_for_2_and_20_tagged_products(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    products = [await make_product(variants=[(100 + n, n % 3), (200, 0)]) for n in range(20)]

    small = await _page_sql(gql, ana, products[:2])
    large = await _page_sql(gql, ana, products)

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    page = large.data["post"]
    assert len(page["tags"]) == len(page["products"]) == 20
    assert len(page["media"]) == 3
    assert page["cover"]["url"]
    assert page["tags"][1]["product"]["priceRange"]["min"]["amount"] == 101
    assert page["tags"][1]["variant"]["quantityAvailable"] == 1
    assert page["hasUnavailableProducts"] is True  # products[0]'s tagged variant has no stock
    assert small.data["post"]["hasUnavailableProducts"] is True
    # post, author, media (cover and gallery), tags, products, their variants, tagged variants
    assert small.sql == large.sql == 7


async def test_a_listing_with_tags_costs_the_same_sql_for_5_and_50_posts(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    authors = [await _creator(sign_in) for _ in range(3)]
    products = [await make_product(variants=[(100, 1)]) for _ in range(4)]
    for n in range(52):
        author = authors[n % 3]
        cover = await ready(author.user.id)
        post = await post_with_media(gql, author.token, cover, [], title=f"Listed {n}")
        tags = [point(gid("Product", products[(n + k) % 4].id)) for k in range(2)]
        assert (await set_tags(gql, author.token, post["id"], cover, tags))["tags"]
        await Post.filter(id=pk(post["id"])).update(status=PostStatus.PUBLISHED)

    small = await gql.post(LISTING, {"n": 5})
    large = await gql.post(LISTING, {"n": 50})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert len(large.data["posts"]["edges"]) == 50
    assert all(len(e["node"]["tags"]) == 2 for e in large.data["posts"]["edges"])
    # the page, authors, media, tags, products, their variants (no variant tagged)
    assert small.sql == large.sql == 6


async def test_a_cart_line_from_a_post_credits_the_post_and_its_author(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    shop = Shop(gql)
    ana = await _creator(sign_in)
    product = await make_product(variants=[(1500, 9)])
    post, _ = await _tagged_post(gql, ana, [point(gid("Product", product.id))])
    buyer = await sign_in()

    added = await shop.add(
        buyer.token,
        await variant_of(product),
        2,
        attribution={"sourceType": "POST", "sourceId": post["id"]},
    )
    placed = await shop.checkout(buyer.token, pk((await shop.cart(buyer.token))["id"]))
    creator = await gql.data(
        "query($c: ID!) { creatorAttribution(creatorId: $c) { orders units } }",
        {"c": gid("User", ana.user.id)},
        token=ana.token,
    )
    content = await gql.data(
        "query($id: ID!) { contentAttribution(sourceType: POST, sourceId: $id) "
        "{ orders units post { title } } }",
        {"id": post["id"]},
        token=ana.token,
    )

    assert added["__typename"] == "AddCartLineSuccess", added
    assert placed["order"]["lines"][0]["attribution"] == {
        "sourceType": "POST",
        "sourceId": post["id"],
        "shareCode": None,
        "creator": {"handle": ana.user.handle},
    }
    assert creator["creatorAttribution"] == {"orders": 1, "units": 2}
    assert content["contentAttribution"] == {
        "orders": 1,
        "units": 2,
        "post": {"title": "Shoppable"},
    }


async def test_product_mentioned_in_lists_published_posts_newest_first(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    tom = await _creator(sign_in)
    product = await make_product()
    other = await make_product()
    pid = gid("Product", product.id)
    first, _ = await _tagged_post(gql, ana, [point(pid)], title="First")
    second, _ = await _tagged_post(
        gql, tom, [point(pid), point(gid("Product", other.id))], "Second"
    )
    await _tagged_post(gql, ana, [point(gid("Product", other.id))], title="Elsewhere")
    draft_cover = await ready(ana.user.id)
    draft = await post_with_media(gql, ana.token, draft_cover, [], title="Draft")
    assert (await set_tags(gql, ana.token, draft["id"], draft_cover, [point(pid)]))["tags"]
    untagged = await post_with_media(gql, ana.token, None, [], title="Plain")
    await publish(gql, ana.token, untagged["id"])

    page = await gql.data(MENTIONED, {"id": pid, "first": 1}, token=ana.token)
    rest = await gql.data(
        MENTIONED,
        {"id": pid, "first": 5, "after": page["product"]["mentionedIn"]["pageInfo"]["endCursor"]},
        token=ana.token,
    )
    by_product = await gql.data(FILTERED, {"filter": {"productId": pid}}, token=ana.token)
    with_products = await gql.data(FILTERED, {"filter": {"hasProducts": True}})
    without = await gql.data(FILTERED, {"filter": {"hasProducts": False}})
    drafts = await gql.data(
        FILTERED, {"filter": {"productId": pid, "status": "DRAFT"}}, token=ana.token
    )

    listed = page["product"]["mentionedIn"]
    assert listed["totalCount"] == 2  # the draft is never here, not even for its author
    assert listed["pageInfo"]["hasNextPage"] is True
    [newest] = listed["edges"]
    assert newest["node"] == {
        "__typename": "Post",
        "id": second["id"],
        "slug": second["slug"],
        "title": "Second",
        "publishedAt": newest["node"]["publishedAt"],
        "author": {"handle": tom.user.handle},
        "cover": newest["node"]["cover"],
        "products": [{"id": pid}, {"id": gid("Product", other.id)}],
        "hasUnavailableProducts": False,
        "status": "PUBLISHED",
    }
    assert newest["node"]["publishedAt"]
    assert newest["node"]["cover"]["id"]
    assert [e["node"]["id"] for e in rest["product"]["mentionedIn"]["edges"]] == [first["id"]]
    assert [e["node"]["title"] for e in by_product["posts"]["edges"]] == ["Second", "First"]
    assert [e["node"]["title"] for e in with_products["posts"]["edges"]] == [
        "Elsewhere",
        "Second",
        "First",
    ]
    assert [e["node"]["title"] for e in without["posts"]["edges"]] == ["Plain"]
    # posts(filter:) keeps its rule: the author lists their own drafts when asking for them.
    assert [e["node"]["title"] for e in drafts["posts"]["edges"]] == ["Draft"]


async def test_concurrent_tag_edits_leave_one_whole_set(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    products = [gid("Product", (await make_product()).id) for _ in range(5)]
    post, cover = await _tagged_post(gql, ana, [])
    one = [point(p, 0.1 * (n + 1), 0.1) for n, p in enumerate(products[:3])]
    two = [point(p, 0.5, 0.1 * (n + 1)) for n, p in enumerate(products[3:])]

    for _ in range(3):
        results = await asyncio.gather(
            set_tags(gql, ana.token, post["id"], cover, one),
            set_tags(gql, ana.token, post["id"], cover, two),
        )
        assert all(r["__typename"] == "SetMediaTagsSuccess" for r in results), results
        stored = await gql.data(TAGS, {"id": post["id"]})
        found = [(t["product"]["id"], t["x"], t["y"]) for t in stored["node"]["tags"]]
        assert found in (
            [(t["productId"], t["x"], t["y"]) for t in one],
            [(t["productId"], t["x"], t["y"]) for t in two],
        )


async def test_tags_go_with_their_media_and_their_post(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    pid = gid("Product", (await make_product()).id)
    cover, first, second = [await ready(ana.user.id) for _ in range(3)]
    post = await post_with_media(gql, ana.token, cover, [first, second])
    for media in (cover, first, second):
        assert (await set_tags(gql, ana.token, post["id"], media, [point(pid)]))["tags"]

    await gql.data(UPDATE_MEDIA, {"id": post["id"], "media": [second]}, token=ana.token)
    after_gallery = await gql.data(TAGS, {"id": post["id"]}, token=ana.token)
    deleted = await gql.data(
        "mutation($id: ID!) { deleteMedia(mediaId: $id) { __typename } }",
        {"id": second},
        token=ana.token,
    )
    after_delete = await gql.data(TAGS, {"id": post["id"]}, token=ana.token)
    await gql.data(
        "mutation($id: ID!) { deletePost(postId: $id) { __typename } }",
        {"id": post["id"]},
        token=ana.token,
    )

    assert [t["media"]["id"] for t in after_gallery["node"]["tags"]] == [cover, second]
    assert deleted["deleteMedia"]["__typename"] == "DeleteMediaSuccess"
    assert [t["media"]["id"] for t in after_delete["node"]["tags"]] == [cover]
    assert await ShoppableTag.all().count() == 0
