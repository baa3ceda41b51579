"""Reviews, posts, follows and comments write their events (real mutations and the publishing
job)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from models.accounts import Role
from models.content import Post
from models.events import Event
from models.orders import LineStatus
from tests.carts.shop import make_order, pk, variant_of
from tests.comments.support import add, added, make_post
from tests.content.support import create_post, publish
from tests.events.support import outbox
from tests.factories import MakeProduct, SignIn
from tests.reviews.support import CREATE as CREATE_REVIEW
from tests.social.support import FOLLOW, follow
from tests.utils import GraphQLClient, gid, run_job


async def test_creating_a_review_records_review_created(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    product = await make_product()
    variant = await variant_of(product)
    await make_order(buyer.user, [(variant, 1)], line_status=LineStatus.DELIVERED)

    created = await gql.data(
        CREATE_REVIEW, {"product": gid("Product", product.id), "rating": 4}, token=buyer.token
    )
    again = await gql.data(
        CREATE_REVIEW, {"product": gid("Product", product.id), "rating": 5}, token=buyer.token
    )

    review = created["createReview"]["review"]
    assert again["createReview"]["__typename"] == "ConflictError"  # rolled back: no event
    assert await outbox() == [
        (
            "review.created",
            {
                "version": 1,
                "review": {
                    "id": review["id"],
                    "rating": 4,
                    "verifiedPurchase": True,
                    "product": {"id": gid("Product", product.id)},
                    "author": {"id": gid("User", buyer.user.id)},
                },
            },
        )
    ]


def _published(post: Post) -> tuple[str, dict[str, Any]]:
    assert post.published_at is not None
    return (
        "post.published",
        {
            "version": 1,
            "post": {
                "id": gid("Post", post.id),
                "slug": post.slug,
                "author": {"id": gid("User", post.author_id)},
                "publishedAt": post.published_at.isoformat(),
            },
        },
    )


async def test_publishing_a_post_directly_or_by_the_schedule_records_post_published_once(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    author = await sign_in(role=Role.CREATOR)
    now_post = await create_post(gql, author.token, title="Out now")
    later_post = await create_post(gql, author.token, title="Out later")
    assert await Event.all().count() == 0  # drafts tell nobody

    await publish(gql, author.token, now_post["id"])
    await publish(gql, author.token, now_post["id"])  # already out: a no-op, no second event
    at = datetime.now(UTC) + timedelta(hours=1)
    scheduled = await publish(gql, author.token, later_post["id"], at.isoformat())
    assert scheduled["post"]["status"] == "SCHEDULED"
    assert len(await outbox()) == 1  # scheduling is not publishing
    await Post.filter(id=pk(later_post["id"])).update(publish_at=datetime.now(UTC))
    job = await run_job(services.queue, "publish_due_posts")
    assert job.result == {"published": 1}

    first, second = Post.get(id=pk(now_post["id"])), Post.get(id=pk(later_post["id"]))
    assert await outbox() == [_published(await first), _published(await second)]


async def test_following_records_follow_created_once_even_when_repeated_concurrently(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    fan = await sign_in()
    star = await sign_in(role=Role.CREATOR)
    target = gid("User", star.user.id)

    results = await asyncio.gather(
        *(gql.data(FOLLOW, {"id": target}, token=fan.token) for _ in range(8))
    )
    await follow(gql, fan.token, target)  # and once more, later

    assert {r["follow"]["__typename"] for r in results} == {"FollowSuccess"}
    assert await outbox() == [
        (
            "follow.created",
            {
                "version": 1,
                "follow": {
                    "follower": {"id": gid("User", fan.user.id)},
                    "target": {"__typename": "User", "id": target},
                },
            },
        )
    ]


async def test_a_comment_and_a_reply_record_comment_created_with_new_mentions(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author = await sign_in(role=Role.CREATOR)
    fan, friend = await sign_in(), await sign_in()
    post = await make_post(author.user.id)
    target = gid("Post", post.id)

    top = await added(gql, fan.token, target, f"Lovely, @{friend.user.handle} look")
    reply = await added(gql, author.token, target, "Thanks!", parent=top["id"])
    refused = await add(gql, fan.token, target, "   ")  # rolled back: no event

    assert refused["__typename"] == "ValidationError"
    assert await outbox() == [
        (
            "comment.created",
            {
                "version": 1,
                "comment": {
                    "id": top["id"],
                    "author": {"id": gid("User", fan.user.id)},
                    "target": {"__typename": "Post", "id": target},
                    "parent": None,
                    "depth": 0,
                },
                "mentioned": [{"id": gid("User", friend.user.id)}],
            },
        ),
        (
            "comment.created",
            {
                "version": 1,
                "comment": {
                    "id": reply["id"],
                    "author": {"id": gid("User", author.user.id)},
                    "target": {"__typename": "Post", "id": target},
                    "parent": {"id": top["id"]},
                    "depth": 1,
                },
                "mentioned": [],
            },
        ),
    ]
