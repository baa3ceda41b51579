"""Share links: one per (sharer, target, channel), clicks via Redis flushed exactly once (or
straight into PostgreSQL with Redis down), orders and GMV from carts carrying the code."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from typing import Any

from models.accounts import Role
from models.catalog import ProductStatus
from models.content import Topic
from models.social import ShareChannel, ShareClickFlush, ShareLink, ShareTargetKind
from storage.cache import open_redis
from tests.carts.shop import Shop, pk, variant_of
from tests.content.support import create_post, published_post
from tests.factories import MakeProduct, MakeUser, SignIn
from tests.social.support import CREATE_LINK, RESOLVE, create_link, make_link, resolve
from tests.utils import GraphQLClient, gid, run_job

MY_LINKS = """
query { viewer { shareLinks(first: 10) { totalCount edges { node {
  code clicks orders units gmv { amount currency } } } } } }
"""


def _keys(services: Any) -> tuple[str, str]:
    return services.keys("{share-clicks}", "live"), services.keys("{share-clicks}", "flushing")


async def test_one_link_per_target_and_channel(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, services: Any
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    product = await make_product()
    post = await published_post(gql, ana.token, topics=["tea"])
    tea = await Topic.get(slug="tea")

    first = await create_link(gql, ana.token, gid("Product", product.id))
    again = await create_link(gql, ana.token, gid("Product", product.id))
    copy = await create_link(gql, ana.token, gid("Product", product.id), "COPY")
    others = [
        await create_link(gql, ana.token, target)
        for target in (post["id"], gid("User", ana.user.id), gid("Topic", tea.id))
    ]

    assert first["__typename"] == "CreateShareLinkSuccess", first
    link = first["shareLink"]
    assert again == first
    assert re.fullmatch(r"[A-Za-z0-9]{10}", link["code"])
    assert link["url"] == services.settings.public_url.rstrip("/") + "/s/" + link["code"]
    assert (link["channel"], link["clicks"], link["orders"], link["gmv"]) == ("WECHAT", 0, 0, [])
    assert link["sharer"] == {"handle": ana.user.handle}
    assert link["target"] == {"__typename": "Product", "slug": product.slug}
    assert copy["shareLink"]["code"] != link["code"]
    assert [o["shareLink"]["target"]["__typename"] for o in others] == ["Post", "User", "Topic"]
    assert await ShareLink.all().count() == 5


async def test_what_cannot_be_shared(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_user: MakeUser
) -> None:
    me = await sign_in()
    draft_product = await make_product(status=ProductStatus.DRAFT)
    draft_post = await create_post(gql, (await sign_in()).token)
    gone = await make_user(is_active=False)

    hidden = [
        await create_link(gql, me.token, target)
        for target in (gid("Product", draft_product.id), draft_post["id"], gid("User", gone.id))
    ]
    wrong = await create_link(gql, me.token, gid("Variant", 1))
    anonymous = await gql.post(CREATE_LINK, {"id": gid("User", gone.id), "channel": "SMS"})

    assert [h["__typename"] for h in hidden] == ["NotFoundError"] * 3
    assert [h["resource"] for h in hidden] == ["Product", "Post", "User"]
    assert (wrong["__typename"], wrong["field"]) == ("ValidationError", "targetId")
    assert anonymous.codes == ["UNAUTHENTICATED"]
    assert not await ShareLink.exists()


async def test_clicks_are_counted_in_redis_and_flushed_exactly_once(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, services: Any
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    product = await make_product()
    code = (await create_link(gql, ana.token, gid("Product", product.id)))["shareLink"]["code"]
    live, flushing = _keys(services)

    opened = [await resolve(gql, code) for _ in range(3)]

    assert opened[0] == {
        "__typename": "ResolveShareLinkSuccess",
        "code": code,
        "channel": "WECHAT",
        "sharer": {"handle": ana.user.handle},
        "target": {"__typename": "Product", "slug": product.slug},
    }
    assert (await ShareLink.get(code=code)).clicks == 0  # in Redis until the worker runs
    job = await run_job(services.queue, "flush_share_clicks")
    assert job.result == {"clicks": 3}
    assert (await ShareLink.get(code=code)).clicks == 3
    assert not await services.redis.exists(live, flushing)

    # A worker that died after applying a batch, before deleting it: the batch stays in Redis,
    # and the next flush must not apply it again; one that died before applying: applied once.
    link = await ShareLink.get(code=code)
    applied, pending = str(uuid.uuid4()), str(uuid.uuid4())
    await ShareClickFlush.create(batch=applied)
    await services.redis.hset(flushing, mapping={"batch": applied, str(link.id): 5})
    assert (await run_job(services.queue, "flush_share_clicks")).result == {"clicks": 0}
    await services.redis.hset(flushing, mapping={"batch": pending, str(link.id): 4})
    await resolve(gql, code)  # a click meanwhile: the next batch
    assert (await run_job(services.queue, "flush_share_clicks")).result == {"clicks": 4}
    assert (await run_job(services.queue, "flush_share_clicks")).result == {"clicks": 1}
    assert (await ShareLink.get(code=code)).clicks == 3 + 4 + 1
    mine = await gql.data(MY_LINKS, token=ana.token)
    assert mine["viewer"]["shareLinks"]["edges"][0]["node"]["clicks"] == 8


async def test_with_redis_down_clicks_go_straight_to_postgres(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    services: Any,
    running: Any,
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    product = await make_product()
    code = (await create_link(gql, ana.token, gid("Product", product.id)))["shareLink"]["code"]
    dead = open_redis("redis://127.0.0.1:1/0")
    running.state["services"] = replace(services, redis=dead)
    try:
        replies = [await gql.post(RESOLVE, {"code": code}) for _ in range(2)]
    finally:
        running.state["services"] = services
        await dead.aclose()

    assert [r.status for r in replies] == [200, 200]
    kinds = [r.data["resolveShareLink"]["__typename"] for r in replies]
    assert kinds == ["ResolveShareLinkSuccess"] * 2
    assert (await ShareLink.get(code=code)).clicks == 2


async def test_unknown_bad_and_hidden_codes_count_nothing(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, services: Any
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    product = await make_product()
    code = (await create_link(gql, ana.token, gid("Product", product.id)))["shareLink"]["code"]
    await product.__class__.filter(id=product.id).update(status=ProductStatus.ARCHIVED)

    unknown = await resolve(gql, "nosuchcode")
    bad = await resolve(gql, "not a code")
    hidden = await resolve(gql, code)

    assert unknown == {"__typename": "NotFoundError", "resource": "ShareLink"}
    assert (bad["__typename"], bad["field"]) == ("ValidationError", "code")
    assert hidden == {"__typename": "NotFoundError", "resource": "Product"}
    assert not await services.redis.exists(*_keys(services))


async def test_opening_links_is_rate_limited_per_address(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser, services: Any
) -> None:
    ana = await make_user(role=Role.CREATOR)
    topic = await Topic.create(slug="tea", name="tea", post_count=1)
    link = await make_link(ana.id, topic.id, code="tea-link", kind=ShareTargetKind.TOPIC)
    limit = services.settings.share_clicks_per_minute

    replies = [await gql.post(RESOLVE, {"code": link.code}) for _ in range(limit + 1)]

    assert all(not r.errors for r in replies[:limit])
    assert replies[-1].codes == ["RATE_LIMITED"]
    assert (await run_job(services.queue, "flush_share_clicks")).result == {"clicks": limit}


async def test_a_code_in_a_cart_line_reports_orders_and_gmv(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_product: MakeProduct,
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    product = await make_product(variants=[(1500, 20)])
    variant = await variant_of(product)
    code = (await create_link(gql, ana.token, gid("Product", product.id)))["shareLink"]["code"]
    buyers = [await sign_in() for _ in range(3)]
    for n, buyer in enumerate(buyers):
        added = await shop.add(buyer.token, variant, n + 1, attribution={"shareCode": code})
        assert added["__typename"] == "AddCartLineSuccess", added
        cart = await shop.cart(buyer.token)
        payment = "tok_declined" if n == 2 else "tok_ok"  # the last one never pays
        await shop.checkout(buyer.token, pk(cart["id"]), payment=payment)
    stranger = await sign_in()

    mine = await gql.data(MY_LINKS, token=ana.token)
    theirs = await gql.data(
        "query($h: String!) { user(handle: $h) { shareLinks { totalCount } } }",
        {"h": ana.user.handle},
        token=stranger.token,
    )

    assert mine["viewer"]["shareLinks"]["edges"][0]["node"] == {
        "code": code,
        "clicks": 0,
        "orders": 2,
        "units": 3,
        "gmv": [{"amount": 4500, "currency": "USD"}],
    }
    assert theirs == {"user": {"shareLinks": None}}


async def test_share_links_cost_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_user: MakeUser
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    await gql.data("{ viewer { id } }", token=ana.token)  # the session's last use, written
    products = [await make_product() for _ in range(3)]
    users = [await make_user() for _ in range(3)]
    topics = [await Topic.create(slug=f"t{n}", name=f"t{n}", post_count=1) for n in range(3)]
    post = await published_post(gql, ana.token)
    # Kinds interleaved, so that the small page has every kind too (one query per kind).
    targets = [(ShareTargetKind.POST, pk(post["id"]))] + [
        target
        for n in range(3)
        for target in (
            (ShareTargetKind.PRODUCT, products[n].id),
            (ShareTargetKind.USER, users[n].id),
            (ShareTargetKind.TOPIC, topics[n].id),
        )
    ]
    channels = list(ShareChannel)
    await ShareLink.bulk_create(
        [
            ShareLink(
                code=f"code-{n}",
                sharer_id=ana.user.id,
                target_kind=targets[n % len(targets)][0],
                target_id=targets[n % len(targets)][1],
                channel=channels[n // len(targets)],
            )
            for n in range(55)
        ]
    )
    page = """
    query($n: Int!) { viewer { shareLinks(first: $n) { edges { node { code url clicks orders
      gmv { amount } sharer { handle } target { __typename ... on Product { slug }
      ... on User { handle } ... on Topic { slug } ... on Post { slug } } } } } } }
    """

    small = await gql.post(page, {"n": 5}, token=ana.token)
    large = await gql.post(page, {"n": 50}, token=ana.token)

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    edges = large.data["viewer"]["shareLinks"]["edges"]
    assert len(edges) == 50
    assert {e["node"]["target"]["__typename"] for e in edges} == {
        "Product",
        "User",
        "Topic",
        "Post",
    }
    kinds = {e["node"]["target"]["__typename"] for e in small.data["viewer"]["shareLinks"]["edges"]}
    assert kinds == {"Product", "User", "Topic", "Post"}
    # The session, the links page, the sharer and user targets (one users query), then one
    # query per other target kind (product, topic, post), and the orders and GMV of the codes.
    assert small.sql == large.sql == 7, (small.sql, large.sql)
