"""`/s/<code>`, the share link's own URL, through the real app: a 302 to the storefront page of
its target with `?share=<code>`, counting the click exactly as resolveShareLink does (the same
Redis counter and flush, the same per-address limit, PostgreSQL with Redis down); 404 for
unknown codes and hidden targets, counting nothing; HEAD counts nothing."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import httpx
import pytest

from models.accounts import Role
from models.catalog import ProductStatus
from models.communities import Community, CommunityVisibility
from models.content import Post, PostStatus, Topic
from models.social import ShareLink, ShareTargetKind
from settings import Settings
from storage.cache import open_redis
from tests.factories import MakeProduct, MakeUser
from tests.reactions.support import post_row
from tests.social.support import RESOLVE, make_link
from tests.utils import GraphQLClient, run_job


def _live(services: Any) -> str:
    return str(services.keys("{share-clicks}", "live"))


async def _flushed(services: Any) -> int:
    job = await run_job(services.queue, "flush_share_clicks")
    clicks: int = job.result["clicks"]
    return clicks


@pytest.mark.smoke
async def test_a_share_url_redirects_to_the_storefront_and_counts_the_click(
    http: httpx.AsyncClient, make_user: MakeUser, make_product: MakeProduct, services: Any
) -> None:
    ana = await make_user(role=Role.CREATOR, handle="ana_share")
    product = await make_product()
    link = await make_link(ana.id, product.id, code="ana-tea")

    opened = await http.get("/s/ana-tea")
    again = await http.get("/s/ana-tea")

    assert opened.status_code == again.status_code == 302
    # PUBLIC_URL is http://test in the tests, and STOREFRONT_URL defaults to it.
    assert opened.headers["location"] == f"http://test/products/{product.slug}?share=ana-tea"
    assert opened.headers["cache-control"] == "no-store"
    assert (await ShareLink.get(id=link.id)).clicks == 0  # in Redis until the worker runs
    assert await _flushed(services) == 2
    assert (await ShareLink.get(id=link.id)).clicks == 2


async def test_each_kind_of_target_has_its_storefront_path(
    http: httpx.AsyncClient, make_user: MakeUser
) -> None:
    ana = await make_user(role=Role.CREATOR, handle="ana_paths")
    post = await post_row(ana.id, "green-tea-notes")
    topic = await Topic.create(slug="tea", name="Tea", post_count=1)
    await make_link(ana.id, post.id, code="to-post", kind=ShareTargetKind.POST)
    await make_link(ana.id, ana.id, code="to-user", kind=ShareTargetKind.USER)
    await make_link(ana.id, topic.id, code="to-topic", kind=ShareTargetKind.TOPIC)

    locations = [
        (await http.get(f"/s/{code}")).headers["location"]
        for code in ("to-post", "to-user", "to-topic")
    ]

    assert locations == [
        "http://test/posts/green-tea-notes?share=to-post",
        "http://test/u/ana_paths?share=to-user",
        "http://test/topics/tea?share=to-topic",
    ]


async def test_unknown_codes_and_hidden_targets_are_404_and_count_nothing(
    http: httpx.AsyncClient, make_user: MakeUser, make_product: MakeProduct, services: Any
) -> None:
    ana = await make_user(role=Role.CREATOR)
    archived = await make_product()
    await archived.__class__.filter(id=archived.id).update(status=ProductStatus.ARCHIVED)
    draft = await post_row(ana.id, "a-draft", PostStatus.DRAFT)
    club = await Community.create(
        slug="inner", name="Inner", creator_id=ana.id, visibility=CommunityVisibility.PRIVATE
    )
    private = await post_row(ana.id, "members-only")
    await Post.filter(id=private.id).update(community_id=club.id)
    await make_link(ana.id, archived.id, code="gone-product")
    await make_link(ana.id, draft.id, code="a-draft", kind=ShareTargetKind.POST)
    await make_link(ana.id, private.id, code="inner-post", kind=ShareTargetKind.POST)

    paths = [
        "/s/nosuchcode",
        "/s/not%20a%20code",
        "/s/" + "x" * 41,
        "/s/gone-product",
        "/s/a-draft",
        "/s/inner-post",
    ]
    replies = [await http.get(path) for path in paths]

    assert [(r.status_code, r.text) for r in replies] == [(404, "No such share link.\n")] * 6
    assert not await services.redis.exists(_live(services))
    assert await _flushed(services) == 0


async def test_head_answers_without_counting_or_spending_the_limit(
    http: httpx.AsyncClient, gql: GraphQLClient, make_user: MakeUser, services: Any
) -> None:
    ana = await make_user(role=Role.CREATOR)
    topic = await Topic.create(slug="matcha", name="Matcha", post_count=1)
    await make_link(ana.id, topic.id, code="unfurl-me", kind=ShareTargetKind.TOPIC)
    limit = services.settings.share_clicks_per_minute

    heads = [await http.head("/s/unfurl-me") for _ in range(limit + 5)]
    unknown = await http.head("/s/nosuchcode")
    opened = await http.get("/s/unfurl-me")

    assert {r.status_code for r in heads} == {302}
    assert heads[0].headers["location"] == "http://test/topics/matcha?share=unfurl-me"
    assert unknown.status_code == 404
    assert opened.status_code == 302  # the HEADs spent none of the address's limit
    assert await _flushed(services) == 1


async def test_the_route_and_resolve_share_link_share_one_limit_per_address(
    http: httpx.AsyncClient, gql: GraphQLClient, make_user: MakeUser, services: Any
) -> None:
    ana = await make_user(role=Role.CREATOR)
    topic = await Topic.create(slug="oolong", name="Oolong", post_count=1)
    await make_link(ana.id, topic.id, code="oolong", kind=ShareTargetKind.TOPIC)
    limit = services.settings.share_clicks_per_minute

    resolved = [await gql.post(RESOLVE, {"code": "oolong"}) for _ in range(limit - 1)]
    last = await http.get("/s/oolong")
    refused = await http.get("/s/oolong")

    assert all(not reply.errors for reply in resolved)
    assert last.status_code == 302
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert await _flushed(services) == limit


async def test_concurrent_opens_are_each_counted_once(
    http: httpx.AsyncClient, make_user: MakeUser, make_product: MakeProduct, services: Any
) -> None:
    ana = await make_user(role=Role.CREATOR)
    link = await make_link(ana.id, (await make_product()).id, code="busy-link")

    replies = await asyncio.gather(*(http.get("/s/busy-link") for _ in range(40)))

    assert [r.status_code for r in replies] == [302] * 40
    assert await _flushed(services) == 40
    assert (await ShareLink.get(id=link.id)).clicks == 40


async def test_with_redis_down_clicks_go_straight_to_postgres(
    http: httpx.AsyncClient,
    make_user: MakeUser,
    make_product: MakeProduct,
    services: Any,
    running: Any,
) -> None:
    ana = await make_user(role=Role.CREATOR)
    product = await make_product()
    link = await make_link(ana.id, product.id, code="no-redis")
    dead = open_redis("redis://127.0.0.1:1/0")
    running.state["services"] = replace(services, redis=dead)
    try:
        replies = [await http.get("/s/no-redis") for _ in range(2)]
    finally:
        running.state["services"] = services
        await dead.aclose()

    assert [r.status_code for r in replies] == [302, 302]
    assert (await ShareLink.get(id=link.id)).clicks == 2


def test_storefront_url_is_read_from_the_environment() -> None:
    assert Settings.from_env({}).storefront_url is None  # PUBLIC_URL is used
    shop = Settings.from_env({"STOREFRONT_URL": "https://shop.example"})
    assert shop.storefront_url == "https://shop.example"
