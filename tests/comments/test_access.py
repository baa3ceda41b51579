"""Who sees comments (whoever sees their target) and who deletes them beyond the matrix: the
author of the post or tutorial, not of a review or the product's merchant."""

from __future__ import annotations

import pytest

from models.accounts import Role
from models.catalog import Product, ProductStatus
from models.comments import Comment
from models.content import Post, PostStatus, Tutorial, TutorialStatus
from models.reviews import Review, ReviewStatus
from tests.comments.support import add, delete, make_comment, make_post, make_review, make_tutorial
from tests.factories import MakeMerchant, MakeProduct, SignIn
from tests.utils import GraphQLClient, gid

NODE = "query($id: ID!) { node(id: $id) { id ... on Comment { body } } }"


async def test_comments_on_hidden_targets_are_invisible_and_cannot_be_made(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    author = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=author.user)
    stranger = await sign_in()
    product = await make_product(merchant=merchant)
    hidden: list[Post | Tutorial | Review | Product] = [
        await make_post(author.user.id, PostStatus.DRAFT),
        await make_tutorial(author.user.id, TutorialStatus.DRAFT),
        await make_review(author.user.id, product, ReviewStatus.HIDDEN),
        await make_product(merchant=merchant, status=ProductStatus.DRAFT),
    ]
    for target in hidden:
        typename = type(target).__name__
        target_id = gid(typename, target.id)
        comment = await make_comment(author.user.id, target)

        for token in (None, stranger.token):
            seen = await gql.data(NODE, {"id": gid("Comment", comment.id)}, token=token)
            assert seen == {"node": None}, typename
        mine = await gql.data(NODE, {"id": gid("Comment", comment.id)}, token=author.token)
        assert mine["node"]["body"] == "A comment.", typename

        refused = await add(gql, stranger.token, target_id, "hello?")
        assert refused["__typename"] == "NotFoundError", typename
        assert refused["resource"] == typename
        reply = await add(gql, stranger.token, target_id, "hi", gid("Comment", comment.id))
        assert reply["__typename"] == "NotFoundError", typename
        gone = await delete(gql, stranger.token, gid("Comment", comment.id))
        assert gone["__typename"] == "NotFoundError", typename
    assert await Comment.filter(author_id=stranger.user.id).count() == 0
    assert await Comment.filter(deleted_at__not_isnull=True).count() == 0


@pytest.mark.parametrize("kind", ["post", "tutorial"])
async def test_the_author_of_a_post_or_tutorial_deletes_comments_on_it(
    gql: GraphQLClient, sign_in: SignIn, kind: str
) -> None:
    owner = await sign_in(role=Role.CREATOR)
    fan = await sign_in()
    target = await (make_post if kind == "post" else make_tutorial)(owner.user.id)
    comment = await make_comment(fan.user.id, target, "rude")
    other = await make_post(fan.user.id)
    elsewhere = await make_comment(fan.user.id, other, "fine")

    done = await delete(gql, owner.token, gid("Comment", comment.id))
    refused = await delete(gql, owner.token, gid("Comment", elsewhere.id))

    assert done["__typename"] == "DeleteCommentSuccess"
    assert done["comment"]["isDeleted"] is True
    assert refused["__typename"] == "PermissionDeniedError"
    row = await Comment.get(id=comment.id)
    assert row.deleted_at is not None
    assert row.deleted_by_id == owner.user.id
    assert (await Comment.get(id=elsewhere.id)).deleted_at is None


async def test_a_reviews_author_and_the_merchant_do_not_delete_comments(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    product = await make_product(merchant=await make_merchant(owner=seller.user))
    reviewer = await sign_in()
    fan = await sign_in()
    review = await make_review(reviewer.user.id, product)
    on_review = await make_comment(fan.user.id, review)
    on_product = await make_comment(fan.user.id, product)

    by_reviewer = await delete(gql, reviewer.token, gid("Comment", on_review.id))
    by_seller = await delete(gql, seller.token, gid("Comment", on_product.id))

    assert by_reviewer["__typename"] == by_seller["__typename"] == "PermissionDeniedError"
    assert await Comment.filter(deleted_at__not_isnull=True).count() == 0


async def test_moderators_delete_but_do_not_edit(gql: GraphQLClient, sign_in: SignIn) -> None:
    fan = await sign_in()
    moderator = await sign_in(role=Role.MODERATOR)
    comment = await make_comment(fan.user.id, await make_post(fan.user.id), "spam")

    edit = await gql.data(
        'mutation($id: ID!) { editComment(id: $id, body: "x") { __typename } }',
        {"id": gid("Comment", comment.id)},
        token=moderator.token,
    )
    done = await delete(gql, moderator.token, gid("Comment", comment.id))

    assert edit["editComment"]["__typename"] == "PermissionDeniedError"
    assert done["__typename"] == "DeleteCommentSuccess"
    assert (await Comment.get(id=comment.id)).deleted_by_id == moderator.user.id
