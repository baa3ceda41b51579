"""record_event: written with the change's transaction, gone with its rollback."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from models.accounts import Role
from models.catalog import Product
from models.events import Event
from resolvers.events import EVENT_TYPES, KICK_KEY, global_id, record_event
from storage.cache import open_redis
from storage.queue import open_queue
from tests.events.support import Seen, outbox
from tests.factories import MakeMerchant, MakeProduct, SignIn
from tests.utils import GraphQLClient, gid, run_job

pytestmark = pytest.mark.usefixtures("running")

UPDATE = """
mutation($id: ID!, $title: String, $slug: String) {
  updateProduct(productId: $id, title: $title, slug: $slug) {
    __typename ... on ConflictError { field } } }
"""


class Boom(Exception):
    pass


@pytest.mark.smoke
async def test_a_rolled_back_transaction_leaves_no_event_and_a_committed_one_keeps_it(
    make_product: MakeProduct,
) -> None:
    product = await make_product()

    async def change_then_fail() -> None:
        async with in_transaction():
            await Product.filter(id=product.id).update(title="Renamed")
            await record_event("product.updated", {"product": {"id": "x"}, "fields": ["title"]})
            raise Boom

    with pytest.raises(Boom):
        await change_then_fail()

    assert await Event.all().count() == 0
    assert (await Product.get(id=product.id)).title == product.title

    async with in_transaction():
        await Product.filter(id=product.id).update(title="Renamed")
        await record_event("product.updated", {"product": {"id": "x"}, "fields": ["title"]})

    assert await outbox() == [
        ("product.updated", {"version": 1, "product": {"id": "x"}, "fields": ["title"]})
    ]


async def test_record_event_refuses_to_run_outside_a_transaction_or_with_an_unknown_type() -> None:
    with pytest.raises(RuntimeError, match="outside a transaction"):
        await record_event("order.paid", {})
    with pytest.raises(ValueError, match="unknown event type"):
        async with in_transaction():
            await record_event("order.payed", {})
    assert await Event.all().count() == 0
    assert "order.paid" in EVENT_TYPES


async def test_global_ids_are_the_apis() -> None:
    assert global_id("Order", 1) == gid("Order", 1) == "T3JkZXI6MQ=="


async def test_a_mutation_that_fails_writes_no_event_and_kicks_nothing(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    services: Any,
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=owner.user)
    taken = await make_product(merchant=merchant)
    product = await make_product(merchant=merchant)

    clash = await gql.data(
        UPDATE, {"id": gid("Product", product.id), "slug": taken.slug}, token=owner.token
    )

    assert clash["updateProduct"] == {"__typename": "ConflictError", "field": "slug"}
    assert await Event.all().count() == 0
    assert await services.queue.job(KICK_KEY) is None


async def test_a_mutation_that_records_an_event_kicks_the_relay_after_it(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    services: Any,
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    product = await make_product(merchant=await make_merchant(owner=owner.user))

    await gql.data(UPDATE, {"id": gid("Product", product.id), "title": "New"}, token=owner.token)

    assert [kind for kind, _ in await outbox()] == ["product.updated"]
    kicked = await services.queue.job(KICK_KEY)
    assert kicked is not None
    assert kicked.function == "relay_events"
    assert kicked.status == "queued"


async def test_a_failed_kick_fails_nothing_and_the_next_relay_delivers(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    running: Any,
    services: Any,
    seen: Seen,
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    product = await make_product(merchant=await make_merchant(owner=owner.user))
    dead = open_redis("redis://127.0.0.1:1/0")  # nothing listens: the queue is unreachable
    running.state["services"] = replace(services, queue=open_queue(dead, "dead:"))
    try:
        updated = await gql.data(
            UPDATE, {"id": gid("Product", product.id), "title": "New"}, token=owner.token
        )
    finally:
        running.state["services"] = services
        await dead.aclose()

    assert updated["updateProduct"]["__typename"] == "ProductSuccess"
    assert await services.queue.job(KICK_KEY) is None  # the kick went nowhere
    (event,) = await Event.all()
    assert event.relayed_at is None

    await run_job(services.queue, "relay_events")  # the cron's next run

    assert seen.ids == [event.id]
