"""What a feed page costs in SQL: the same for 10 and 50 items, nothing to find a cached page's
ids; and the topic feed."""

from __future__ import annotations

from typing import Any

from models.accounts import Role
from models.content import PostStatus, ShoppableTag, TagTarget
from models.media import Media, MediaKind, MediaStatus
from tests.factories import MakeProduct, SignIn
from tests.feeds.support import TOPIC, post_at, titles, topic
from tests.social.support import follow
from tests.utils import GraphQLClient, gid

RICH = """
query($first: Int) { homeFeed(first: $first) { edges { node {
  id title author { handle } topics { slug } cover { id } media { id }
  tags { product { id } variant { quantityAvailable } }
  products { title inStock priceRange { min { amount currency } } }
} } } }
"""
VIEWER = "{ viewer { id } }"


async def _shoppable_posts(sign_in: SignIn, make_product: MakeProduct, count: int) -> Any:
    fan = await sign_in()
    authors = [await sign_in(role=Role.CREATOR) for _ in range(3)]
    products = [await make_product(variants=[(300 + n, n % 2), (900, 1)]) for n in range(4)]
    tea = await topic("tea")
    for n in range(count):
        author = authors[n % 3].user
        cover = await Media.create(
            owner_id=author.id,
            kind=MediaKind.IMAGE,
            status=MediaStatus.READY,
            key=f"media/feed-{n}/original.png",
            content_type="image/png",
            byte_size=100,
            filename="cover.png",
            width=10,
            height=10,
        )
        post = await post_at(author.id, f"Post {n}", n, topics=[tea])
        post.cover_media_id = cover.id
        post.media_ids = [cover.id]
        await post.save(update_fields=["cover_media_id", "media_ids"])
        product = products[n % 4]
        variant = await product.variants.all().order_by("id").first()
        await ShoppableTag.create(
            target_kind=TagTarget.POST,
            target_id=post.id,
            media_id=cover.id,
            product_id=product.id,
            variant_id=variant.id if variant else None,
            x=0.5,
            y=0.5,
        )
    return fan, authors


async def test_a_home_feed_page_costs_the_same_sql_for_10_and_50_items(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, services: Any
) -> None:
    fan, authors = await _shoppable_posts(sign_in, make_product, 55)
    for author in authors:
        await follow(gql, fan.token, gid("User", author.user.id))
    signed_in = (await gql.post(VIEWER, token=fan.token)).sql

    building = await gql.post(RICH, {"first": 10}, token=fan.token)  # rebuilds the feed
    small = await gql.post(RICH, {"first": 10}, token=fan.token)
    large = await gql.post(RICH, {"first": 50}, token=fan.token)

    for reply in (building, small, large):
        assert not reply.errors, reply.errors
    edges = large.data["homeFeed"]["edges"]
    assert len(edges) == 50
    assert len(small.data["homeFeed"]["edges"]) == 10
    node = edges[0]["node"]
    assert node["title"] == "Post 54"
    assert node["cover"]
    assert node["topics"] == [{"slug": "tea"}]
    assert node["products"][0]["priceRange"]["min"]["amount"] in (300, 301, 302, 303)
    assert isinstance(node["tags"][0]["variant"]["quantityAvailable"], int)
    # Cached pages find their ids in Redis: only hydration, the same for 10 and 50 items.
    assert small.sql == large.sql
    # posts, authors (the visibility re-check; `author` reuses it), topics, media, tags,
    # products, their variants, tagged variants
    assert small.sql - signed_in == 8
    # The first read found the feed missing: one more statement built it from PostgreSQL, and
    # one looked up the large sources it follows.
    assert building.sql - signed_in == 8 + 2


async def test_with_large_sources_followed_a_page_costs_one_more_statement(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, services: Any, running: Any
) -> None:
    from tests.feeds.support import with_settings

    fan, authors = await _shoppable_posts(sign_in, make_product, 55)
    for author in authors:
        await follow(gql, fan.token, gid("User", author.user.id))
    other = await sign_in()
    await follow(gql, other.token, gid("User", authors[0].user.id))
    with_settings(running, services, feed_fanout_max_followers=1)
    try:
        signed_in = (await gql.post(VIEWER, token=fan.token)).sql
        await gql.post(RICH, {"first": 10}, token=fan.token)
        small = await gql.post(RICH, {"first": 10}, token=fan.token)
        large = await gql.post(RICH, {"first": 50}, token=fan.token)
    finally:
        running.state["services"] = services

    assert len(large.data["homeFeed"]["edges"]) == 50
    assert small.sql == large.sql == signed_in + 8 + 1  # the merge of the large source


async def test_the_topic_feed_lists_published_posts_newest_published_first(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    tea, coffee = await topic("tea"), await topic("coffee")
    await post_at(ana.user.id, "Second", 2, topics=[tea])
    await post_at(ana.user.id, "First", 1, topics=[tea, coffee])
    await post_at(ana.user.id, "Third", 3, topics=[tea])
    await post_at(ana.user.id, "Coffee only", 4, topics=[coffee])
    await post_at(ana.user.id, "Draft", 5, topics=[tea], status=PostStatus.DRAFT)

    first = (await gql.data(TOPIC, {"slug": "#Tea", "first": 2}))["topicFeed"]
    rest = await gql.data(
        TOPIC, {"slug": "tea", "first": 2, "after": first["pageInfo"]["endCursor"]}
    )
    missing = await gql.data(TOPIC, {"slug": "nothing-here"})
    bad = await gql.data(TOPIC, {"slug": "not a topic!"})

    assert titles(first) == ["Third", "Second"]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    assert titles(rest["topicFeed"]) == ["First"]
    assert rest["topicFeed"]["pageInfo"]["hasNextPage"] is False
    assert missing == bad == {"topicFeed": None}


async def test_a_topic_feed_page_costs_the_same_sql_for_10_and_50_items(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    await _shoppable_posts(sign_in, make_product, 55)
    query = RICH.replace("homeFeed(first: $first)", 'topicFeed(slug: "tea", first: $first)')

    small = await gql.post(query, {"first": 10})
    large = await gql.post(query, {"first": 50})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert len(large.data["topicFeed"]["edges"]) == 50
    # the topic, the page's ids, then the same 8 as the home feed's hydration
    assert small.sql == large.sql == 10
