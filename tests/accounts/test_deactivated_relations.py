"""A deactivated account is hidden on every path, not only `node`, `nodes` and `user(handle)`:
each relation field that points at a user (author, owner, buyer, creator, editor, applicant)
resolves through `User.related`, which applies the same rule. Staff still see the account.
"""

from __future__ import annotations

from typing import Any

from models.accounts import User
from models.catalog import Merchant
from models.orders import OrderLine
from models.reviews import Review
from tests.authz import BuildWorld, World
from tests.carts.shop import make_order
from tests.content.support import published_post
from tests.creators.support import applied
from tests.reviews.support import create, delivered_line
from tests.utils import gid


async def _deactivate(user: User) -> None:
    await User.filter(id=user.id).update(is_active=False)


async def _seen(w: World, query: str, variables: dict[str, Any], token: str | None) -> Any:
    return await w.gql.data(query, variables, token=token)


async def test_post_author(build_world: BuildWorld) -> None:
    w = await build_world()
    post = await published_post(w.gql, w.buyer.token, title="Still up")
    await _deactivate(w.buyer.user)
    query = "query($slug: String!) { post(slug: $slug) { title author { handle } } }"

    for token in (None, w.other_user.token, w.seller.token):
        seen = await _seen(w, query, {"slug": post["slug"]}, token)
        assert seen == {"post": {"title": "Still up", "author": None}}
    for token in (w.admin.token, w.moderator.token):
        seen = await _seen(w, query, {"slug": post["slug"]}, token)
        assert seen["post"]["author"] == {"handle": w.buyer.user.handle}


async def test_post_revision_editor(build_world: BuildWorld) -> None:
    # Revisions are their author's and the admins' alone; the author of a deactivated account
    # cannot sign in, so only staff read these, and they still see the editor.
    w = await build_world()
    post = await published_post(w.gql, w.buyer.token, title="Revised")
    await _deactivate(w.buyer.user)
    query = """query($slug: String!) { post(slug: $slug) {
      revisions { edges { node { editor { handle } } } } } }"""

    seen = await _seen(w, query, {"slug": post["slug"]}, w.admin.token)

    assert seen["post"]["revisions"]["edges"] == [
        {"node": {"editor": {"handle": w.buyer.user.handle}}}
    ]


async def test_review_author(build_world: BuildWorld) -> None:
    w = await build_world()
    await delivered_line(w.buyer.user, w.product)
    assert (await create(w.gql, w.buyer.token, w.product, 4))["__typename"] == "CreateReviewSuccess"
    assert await Review.filter(author_id=w.buyer.user.id).count() == 1
    await _deactivate(w.buyer.user)
    query = """query($slug: String!) { product(slug: $slug) {
      reviews { edges { node { rating author { handle } } } } } }"""

    anonymous = await _seen(w, query, {"slug": w.product.slug}, None)
    staff = await _seen(w, query, {"slug": w.product.slug}, w.moderator.token)

    assert anonymous["product"]["reviews"]["edges"] == [{"node": {"rating": 4, "author": None}}]
    assert staff["product"]["reviews"]["edges"][0]["node"]["author"] == {
        "handle": w.buyer.user.handle
    }


async def test_merchant_owner(build_world: BuildWorld) -> None:
    w = await build_world()
    await _deactivate(w.seller.user)
    query = "query($slug: String!) { merchant(slug: $slug) { name owner { handle } } }"
    merchant = await Merchant.get(id=w.merchant.id)

    anonymous = await _seen(w, query, {"slug": merchant.slug}, None)
    admin = await _seen(w, query, {"slug": merchant.slug}, w.admin.token)

    assert anonymous == {"merchant": {"name": merchant.name, "owner": None}}
    assert admin["merchant"]["owner"] == {"handle": w.seller.user.handle}


async def test_order_buyer(build_world: BuildWorld) -> None:
    w = await build_world()
    order = await make_order(w.buyer.user, [(w.variant, 1)])
    await _deactivate(w.buyer.user)
    query = "query($id: ID!) { node(id: $id) { ... on Order { buyer { handle } } } }"
    variables = {"id": gid("Order", order.id)}

    merchant = await _seen(w, query, variables, w.seller.token)  # the merchant of its line
    admin = await _seen(w, query, variables, w.admin.token)

    assert merchant == {"node": {"buyer": None}}
    assert admin == {"node": {"buyer": {"handle": w.buyer.user.handle}}}


async def test_attribution_creator(build_world: BuildWorld) -> None:
    w = await build_world()
    creator = await w.sign_in()
    order = await make_order(w.other_user.user, [(w.variant, 1)], creator=creator.user)
    await _deactivate(creator.user)
    line = await OrderLine.get(order_id=order.id)
    query = """query($id: ID!) { node(id: $id) { ... on OrderLine {
      attribution { creator { handle } } } } }"""
    variables = {"id": gid("OrderLine", line.id)}

    buyer = await _seen(w, query, variables, w.other_user.token)
    admin = await _seen(w, query, variables, w.admin.token)

    assert buyer == {"node": {"attribution": {"creator": None}}}
    assert admin == {"node": {"attribution": {"creator": {"handle": creator.user.handle}}}}


async def test_verification_application_user(build_world: BuildWorld) -> None:
    # Applications are the applicant's and the admins' alone; admins still see the applicant.
    w = await build_world()
    application = await applied(w.gql, w.buyer.token)
    await _deactivate(w.buyer.user)
    query = (
        "query($id: ID!) { node(id: $id) { ... on VerificationApplication { user { handle } } } }"
    )

    seen = await _seen(w, query, {"id": application}, w.admin.token)

    assert seen == {"node": {"user": {"handle": w.buyer.user.handle}}}
