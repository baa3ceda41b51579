"""Shoppable tags on the media of tutorial steps, through the API: live price and stock, what
may be tagged, what step replacement and deletion do to tags, `Tutorial` as `Content`
(products, hasUnavailableProducts), `Product.mentionedIn` merging posts and tutorials, and the
SQL a tutorial page, a listing and a mentions page cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from models.accounts import Role
from models.catalog import Product, ProductStatus, Variant
from models.content import Post, ShoppableTag, TagTarget, Tutorial, TutorialStatus
from models.media import MediaKind
from tests.carts.shop import pk, variant_of
from tests.content.support import publish
from tests.content.tagging import point, post_with_media, ready, set_tags
from tests.content.tutorial_support import create_tutorial, part, published_tutorial
from tests.factories import MakeProduct, SignedInUser, SignIn
from tests.utils import GraphQLClient, gid

PAGE = """
query($id: ID!) {
  node(id: $id) { ... on Tutorial {
    title author { handle }
    steps { position media { id } tags { x y atSeconds position media { id }
      product { id title inStock priceRange { min { amount currency } } }
      variant { id price { amount } quantityAvailable } } }
    products { id } hasUnavailableProducts } }
}
"""
STEP_TAGS = """
query($id: ID!, $media: ID) {
  node(id: $id) { ... on Tutorial { steps { tags(mediaId: $media) { product { id } } } } }
}
"""
LISTING = """
query($n: Int!) {
  tutorials(first: $n) { edges { node { title author { handle } cover { id }
    steps { tags { x y product { title priceRange { min { amount } } inStock }
      variant { quantityAvailable } } }
    products { id } hasUnavailableProducts } } }
}
"""
MENTIONED = """
query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  product(id: $id) {
    mentionedIn(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { __typename id title author { handle } products { id }
        hasUnavailableProducts ... on Tutorial { status steps { tags { product { id } } } } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }
}
"""
UPDATE_STEPS = """
mutation($id: ID!, $steps: [TutorialStepInput!]) {
  updateTutorial(tutorialId: $id, steps: $steps) { __typename }
}
"""
BY_PRODUCT = """
query($p: ID!) { tutorials(filter: {productId: $p, status: DRAFT}) { edges { node { title } } } }
"""
SET_TUTORIAL_TAGS = """
mutation($target: ID!, $media: ID!, $tags: [ProductTagInput!]!) {
  setMediaTags(targetId: $target, mediaId: $media, tags: $tags) {
    __typename
    ... on SetMediaTagsSuccess { tags { product { id } } post { id } review { id }
      tutorial { id hasUnavailableProducts } }
  }
}
"""


async def _creator(sign_in: SignIn) -> SignedInUser:
    return await sign_in(role=Role.CREATOR)


def _step(body: str, media: list[str], **extra: Any) -> dict[str, Any]:
    return {"title": body, "body": body, "mediaIds": media, **extra}


async def _tutorial_showing(
    gql: GraphQLClient, author: SignedInUser, *steps: list[str], title: str = "Pour over"
) -> dict[str, Any]:
    """A draft by `author` whose steps show the given media, one list per step."""
    return await create_tutorial(
        gql,
        author.token,
        title=title,
        steps=[_step(f"Step {n}", media) for n, media in enumerate(steps)],
    )


def _tagged(result: dict[str, Any]) -> dict[str, Any]:
    assert result["__typename"] == "SetMediaTagsSuccess", result
    return result


async def test_step_media_take_tags_that_read_live_price_and_stock(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    kettle = await make_product(variants=[(4500, 3), (5200, 1)])
    beans = await make_product(variants=[(1200, 9)])
    image, video = await ready(ana.user.id), await ready(ana.user.id, MediaKind.VIDEO)
    tutorial = await _tutorial_showing(gql, ana, [image], [image, video])
    large = await variant_of(kettle, 1)
    kid, bid = gid("Product", kettle.id), gid("Product", beans.id)

    on_image = await gql.data(
        SET_TUTORIAL_TAGS,
        {
            "target": tutorial["id"],
            "media": image,
            "tags": [point(kid, 0.2, 0.8, variant=gid("Variant", large.id))],
        },
        token=ana.token,
    )
    on_video = await set_tags(
        gql, ana.token, tutorial["id"], video, [{"productId": bid, "atSeconds": 12.5}]
    )
    page = await gql.data(PAGE, {"id": tutorial["id"]}, token=ana.token)
    only_video = await gql.data(STEP_TAGS, {"id": tutorial["id"], "media": video}, token=ana.token)
    await Variant.filter(id=large.id).update(stock=0)
    sold_out = await gql.data(PAGE, {"id": tutorial["id"]}, token=ana.token)

    success = _tagged(on_image["setMediaTags"])
    assert success["post"] is None
    assert success["review"] is None
    assert success["tutorial"] == {"id": tutorial["id"], "hasUnavailableProducts": False}
    assert _tagged(on_video)["tags"][0]["atSeconds"] == 12.5
    first, second = page["node"]["steps"]
    kettle_tag = {
        "x": 0.2,
        "y": 0.8,
        "atSeconds": None,
        "position": 0,
        "media": {"id": image},
        "product": {
            "id": kid,
            "title": kettle.title,
            "inStock": True,
            "priceRange": {"min": {"amount": 4500, "currency": "USD"}},
        },
        "variant": {
            "id": gid("Variant", large.id),
            "price": {"amount": 5200},
            "quantityAvailable": 1,
        },
    }
    assert first["tags"] == [kettle_tag]  # the same image in two steps: the same tags
    assert second["tags"][0] == kettle_tag
    assert second["tags"][1]["atSeconds"] == 12.5
    assert second["tags"][1]["product"]["id"] == bid
    assert page["node"]["products"] == [{"id": kid}, {"id": bid}]
    assert page["node"]["hasUnavailableProducts"] is False
    assert only_video["node"]["steps"] == [{"tags": []}, {"tags": [{"product": {"id": bid}}]}]
    assert sold_out["node"]["steps"][0]["tags"][0]["variant"]["quantityAvailable"] == 0
    assert sold_out["node"]["hasUnavailableProducts"] is True


async def test_tutorial_products_list_parts_then_step_products_then_tags(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    in_part, in_step, tagged = [await make_product() for _ in range(3)]
    image = await ready(ana.user.id)
    tutorial = await create_tutorial(
        gql,
        ana.token,
        steps=[_step("Mix", [image], products=[{"productId": gid("Product", in_step.id)}])],
        parts=[part(in_part), part(in_step)],
    )
    _tagged(
        await set_tags(gql, ana.token, tutorial["id"], image, [point(gid("Product", tagged.id))])
    )

    reply = await gql.data(PAGE, {"id": tutorial["id"]}, token=ana.token)
    await Product.filter(id=in_part.id).update(status=ProductStatus.ARCHIVED)
    archived = await gql.data(PAGE, {"id": tutorial["id"]}, token=ana.token)

    ids = [gid("Product", p.id) for p in (in_part, in_step, tagged)]
    assert [p["id"] for p in reply["node"]["products"]] == ids
    assert reply["node"]["hasUnavailableProducts"] is False
    # An archived part drops out of `products` (shoppers may not see it) and makes it unavailable.
    assert [p["id"] for p in archived["node"]["products"]] == ids[1:]
    assert archived["node"]["hasUnavailableProducts"] is True


async def test_bad_tutorial_tags_are_typed_errors_and_change_nothing(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    stranger = await _creator(sign_in)
    product = await make_product()
    archived = await make_product(status=ProductStatus.ARCHIVED)
    image, elsewhere = await ready(ana.user.id), await ready(ana.user.id)
    draft = await _tutorial_showing(gql, ana, [image], title="Draft")
    out = await published_tutorial(gql, ana.token, title="Out", steps=[_step("Only", [elsewhere])])
    pid = gid("Product", product.id)

    not_shown = await set_tags(gql, ana.token, draft["id"], elsewhere, [point(pid)])
    a_time_on_an_image = await set_tags(
        gql, ana.token, draft["id"], image, [{"productId": pid, "atSeconds": 3.0}]
    )
    not_for_sale = await set_tags(
        gql, ana.token, draft["id"], image, [point(gid("Product", archived.id))]
    )
    strangers_draft = await set_tags(gql, stranger.token, draft["id"], image, [point(pid)])
    strangers_published = await set_tags(gql, stranger.token, out["id"], elsewhere, [point(pid)])
    anonymous = await gql.post(
        SET_TUTORIAL_TAGS, {"target": out["id"], "media": elsewhere, "tags": [point(pid)]}
    )

    assert not_shown == {
        "__typename": "ValidationError",
        "field": "mediaId",
        "message": "Tag media shown in this tutorial.",
    }
    assert a_time_on_an_image["field"] == "tags.0.atSeconds"
    assert not_for_sale["field"] == "tags.0.productId"
    assert strangers_draft == {"__typename": "NotFoundError", "resource": "Tutorial"}
    assert strangers_published["__typename"] == "PermissionDeniedError"
    assert anonymous.errors
    assert anonymous.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await ShoppableTag.all().count() == 0


async def test_replacing_steps_keeps_the_tags_of_media_still_shown(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    kept_product, dropped_product = await make_product(), await make_product()
    kept, dropped = await ready(ana.user.id), await ready(ana.user.id)
    tutorial = await _tutorial_showing(gql, ana, [kept], [dropped], title="Shelf")
    kept_id, dropped_id = gid("Product", kept_product.id), gid("Product", dropped_product.id)
    _tagged(await set_tags(gql, ana.token, tutorial["id"], kept, [point(kept_id)]))
    _tagged(await set_tags(gql, ana.token, tutorial["id"], dropped, [point(dropped_id)]))
    before = await gql.data(BY_PRODUCT, {"p": dropped_id}, token=ana.token)

    replaced = await gql.data(
        UPDATE_STEPS,
        {"id": tutorial["id"], "steps": [_step("New first", []), _step("Moved", [kept])]},
        token=ana.token,
    )
    page = await gql.data(PAGE, {"id": tutorial["id"]}, token=ana.token)
    after = await gql.data(BY_PRODUCT, {"p": dropped_id}, token=ana.token)
    still = await gql.data(BY_PRODUCT, {"p": kept_id}, token=ana.token)

    assert replaced["updateTutorial"]["__typename"] == "UpdateTutorialSuccess"
    assert [len(step["tags"]) for step in page["node"]["steps"]] == [0, 1]
    assert page["node"]["steps"][1]["tags"][0]["product"]["id"] == kept_id
    assert page["node"]["products"] == [{"id": kept_id}]
    assert [e["node"]["title"] for e in before["tutorials"]["edges"]] == ["Shelf"]
    assert after["tutorials"]["edges"] == []  # a tag was a use; its media is gone, so is it
    assert [e["node"]["title"] for e in still["tutorials"]["edges"]] == ["Shelf"]
    assert await ShoppableTag.filter(media_id=pk(dropped)).count() == 0


async def test_deleting_a_tutorial_deletes_its_tags(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    product = await make_product()
    image = await ready(ana.user.id)
    tutorial = await _tutorial_showing(gql, ana, [image])
    _tagged(
        await set_tags(gql, ana.token, tutorial["id"], image, [point(gid("Product", product.id))])
    )

    deleted = await gql.data(
        "mutation($id: ID!) { deleteTutorial(tutorialId: $id) { __typename } }",
        {"id": tutorial["id"]},
        token=ana.token,
    )

    assert deleted["deleteTutorial"]["__typename"] == "DeleteTutorialSuccess"
    assert await ShoppableTag.filter(target_kind=TagTarget.TUTORIAL).count() == 0


async def _at(model: type[Post] | type[Tutorial], global_id: str, moment: datetime) -> None:
    await model.filter(id=pk(global_id)).update(published_at=moment)


async def test_mentioned_in_merges_posts_and_tutorials_newest_first(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    product = await make_product()
    pid = gid("Product", product.id)
    noon = datetime(2026, 6, 1, 12, tzinfo=UTC)
    cover = await ready(ana.user.id)
    post = await post_with_media(gql, ana.token, cover, [], title="Post at noon")
    _tagged(await set_tags(gql, ana.token, post["id"], cover, [point(pid)]))
    await publish(gql, ana.token, post["id"])
    image = await ready(ana.user.id)
    tagged = await published_tutorial(
        gql, ana.token, title="Tagged at noon", steps=[_step("Look", [image])]
    )
    _tagged(await set_tags(gql, ana.token, tagged["id"], image, [point(pid)]))
    as_part = await published_tutorial(gql, ana.token, title="Part at one", parts=[part(product)])
    older = await published_tutorial(gql, ana.token, title="Part at eleven", parts=[part(product)])
    await create_tutorial(gql, ana.token, title="Draft", parts=[part(product)])
    archived = await published_tutorial(gql, ana.token, title="Gone", parts=[part(product)])
    await Tutorial.filter(id=pk(archived["id"])).update(status=TutorialStatus.ARCHIVED)
    await published_tutorial(gql, ana.token, title="Unrelated")
    await _at(Post, post["id"], noon)
    await _at(Tutorial, tagged["id"], noon)  # a tie with the post: tutorials first
    await _at(Tutorial, as_part["id"], noon + timedelta(hours=1))
    await _at(Tutorial, older["id"], noon - timedelta(hours=1))

    whole = await gql.data(MENTIONED, {"id": pid, "first": 10})
    walked, after = [], None
    for _ in range(5):
        page = (await gql.data(MENTIONED, {"id": pid, "first": 1, "after": after}))["product"]
        walked += [e["node"]["title"] for e in page["mentionedIn"]["edges"]]
        after = page["mentionedIn"]["pageInfo"]["endCursor"]
        if not page["mentionedIn"]["pageInfo"]["hasNextPage"]:
            break
    back = await gql.data(MENTIONED, {"id": pid, "last": 2, "before": after})

    listed = whole["product"]["mentionedIn"]
    order = ["Part at one", "Tagged at noon", "Post at noon", "Part at eleven"]
    assert [e["node"]["title"] for e in listed["edges"]] == order
    assert [e["node"]["__typename"] for e in listed["edges"]] == [
        "Tutorial",
        "Tutorial",
        "Post",
        "Tutorial",
    ]
    assert listed["totalCount"] == 4
    assert listed["pageInfo"]["hasNextPage"] is False
    assert listed["edges"][1]["node"]["steps"] == [{"tags": [{"product": {"id": pid}}]}]
    assert walked == order
    back_page = back["product"]["mentionedIn"]
    assert [e["node"]["title"] for e in back_page["edges"]] == order[1:3]
    assert back_page["pageInfo"]["hasPreviousPage"] is True


async def test_a_foreign_cursor_is_bad_input_for_mentioned_in(
    gql: GraphQLClient, make_product: MakeProduct
) -> None:
    product = await make_product()

    reply = await gql.post(
        MENTIONED, {"id": gid("Product", product.id), "first": 1, "after": "bm90LWEtY3Vyc29y"}
    )

    assert reply.errors
    assert reply.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def _tutorial_page_sql(gql: GraphQLClient, ana: SignedInUser, products: list[Product]) -> Any:
    image, other = await ready(ana.user.id), await ready(ana.user.id)
    tutorial = await _tutorial_showing(gql, ana, [image], [other, image], title="Page")
    tags = [
        point(gid("Product", p.id), variant=gid("Variant", (await variant_of(p)).id))
        for p in products
    ]
    _tagged(await set_tags(gql, ana.token, tutorial["id"], image, tags))
    return await gql.post(PAGE, {"id": tutorial["id"]}, token=ana.token)


async def test_a_tutorial_page_costs_the_same_sql_for_2_and_20_step_tags(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    products = [await make_product(variants=[(100 + n, n % 3), (200, 0)]) for n in range(20)]

    small = await _tutorial_page_sql(gql, ana, products[:2])
    large = await _tutorial_page_sql(gql, ana, products)

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    steps = large.data["node"]["steps"]
    assert [len(step["tags"]) for step in steps] == [20, 20]
    assert steps[0]["tags"][1]["product"]["priceRange"]["min"]["amount"] == 101
    assert large.data["node"]["hasUnavailableProducts"] is True
    # session, tutorial, author, steps, parts, tags, media, products, variants, tagged variants
    assert small.sql == large.sql == 10


async def test_a_tutorial_listing_with_step_tags_costs_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    authors = [await _creator(sign_in) for _ in range(3)]
    products = [await make_product(variants=[(100, 1)]) for _ in range(4)]
    for n in range(52):
        author = authors[n % 3]
        image = await ready(author.user.id)
        tutorial = await _tutorial_showing(gql, author, [image], title=f"Listed {n}")
        tags = [point(gid("Product", products[(n + k) % 4].id)) for k in range(2)]
        _tagged(await set_tags(gql, author.token, tutorial["id"], image, tags))
        await Tutorial.filter(id=pk(tutorial["id"])).update(
            status=TutorialStatus.PUBLISHED, published_at=datetime.now(UTC)
        )

    small = await gql.post(LISTING, {"n": 5})
    large = await gql.post(LISTING, {"n": 50})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    edges = large.data["tutorials"]["edges"]
    assert len(edges) == 50
    assert all(len(e["node"]["steps"][0]["tags"]) == 2 for e in edges)
    # the page, authors, covers, steps, parts, tags, products
    assert small.sql == large.sql == 7


async def test_mentioned_in_costs_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    ana = await _creator(sign_in)
    product = await make_product(variants=[(100, 4)])
    pid = gid("Product", product.id)
    for n in range(26):
        image = await ready(ana.user.id)
        tutorial = await _tutorial_showing(gql, ana, [image], title=f"Tutorial {n}")
        _tagged(await set_tags(gql, ana.token, tutorial["id"], image, [point(pid)]))
        await Tutorial.filter(id=pk(tutorial["id"])).update(
            status=TutorialStatus.PUBLISHED, published_at=datetime.now(UTC)
        )
        cover = await ready(ana.user.id)
        post = await post_with_media(gql, ana.token, cover, [], title=f"Post {n}")
        _tagged(await set_tags(gql, ana.token, post["id"], cover, [point(pid)]))
        await publish(gql, ana.token, post["id"])

    small = await gql.post(MENTIONED, {"id": pid, "first": 5})
    large = await gql.post(MENTIONED, {"id": pid, "first": 50})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert len(large.data["product"]["mentionedIn"]["edges"]) == 50
    assert large.data["product"]["mentionedIn"]["totalCount"] == 52
    # product, posts, tutorials, both counts, authors, post tags, steps, parts, tutorial tags
    assert small.sql == large.sql == 10
