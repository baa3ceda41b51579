"""Anonymous carts: creation is rate-limited per address, idle ones are purged by the worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models.carts import Cart, CartLine, CartStatus
from resolvers.carts import ANONYMOUS_CART_RETENTION
from tests.carts.shop import CREATE_CART, make_cart, variant_of
from tests.factories import MakeProduct, MakeUser, SignIn
from tests.utils import GraphQLClient, run_job


@pytest.mark.smoke
async def test_anonymous_cart_creation_is_limited_per_address(
    gql: GraphQLClient, services: Any, sign_in: SignIn
) -> None:
    limit = services.settings.anonymous_carts_per_hour
    for _ in range(limit):
        assert (await gql.data(CREATE_CART))["createCart"]["cartToken"]

    refused = await gql.post(CREATE_CART)

    assert refused.codes == ["RATE_LIMITED"]
    assert 0 < refused.errors[0]["extensions"]["retryAfterSeconds"] <= 3600
    assert await Cart.filter(user_id=None).count() == limit  # nothing was created
    # A signed-in user's cart is not an anonymous one and is not counted.
    user = await sign_in()
    signed_in = await gql.data(CREATE_CART, token=user.token)
    assert signed_in["createCart"]["__typename"] == "CreateCartSuccess"


async def _age(cart: Cart, by: timedelta, *, lines_too: bool = True) -> None:
    then = datetime.now(UTC) - by
    await Cart.filter(id=cart.id).update(updated_at=then)
    if lines_too:
        await CartLine.filter(cart_id=cart.id).update(updated_at=then)


@pytest.mark.smoke
async def test_worker_purges_only_idle_anonymous_carts(
    services: Any, make_product: MakeProduct, make_user: MakeUser
) -> None:
    variant = await variant_of(await make_product(variants=[(900, 50)]))
    idle = ANONYMOUS_CART_RETENTION + timedelta(hours=1)
    stale = await make_cart(None, [(variant, 1)], token_hash="a" * 64)
    stale_empty = await make_cart(None, [], token_hash="b" * 64)
    stale_merged = await make_cart(None, [(variant, 2)], token_hash="c" * 64)
    await Cart.filter(id=stale_merged.id).update(status=CartStatus.MERGED)
    line_touched = await make_cart(None, [(variant, 1)], token_hash="d" * 64)
    fresh = await make_cart(None, [(variant, 1)], token_hash="e" * 64)
    users_cart = await make_cart(await make_user(), [(variant, 1)])
    for cart in (stale, stale_empty, stale_merged, users_cart):
        await _age(cart, idle)
    await _age(line_touched, idle, lines_too=False)  # its line changed recently

    job = await run_job(services.queue, "purge_stale_carts")

    assert job.status == "complete", job.error
    assert job.result == {"carts": 3}
    remaining = set(await Cart.all().values_list("id", flat=True))
    assert remaining == {line_touched.id, fresh.id, users_cart.id}
    assert await CartLine.filter(cart_id__in=[stale.id, stale_merged.id]).count() == 0
