"""Payment attempts: a capture whose outcome the database never heard of is found, not repeated.

The fault is real: right after the provider captures, PostgreSQL refuses the app (its sessions
terminated, new ones not allowed), so the request cannot record the payment. Retries, payOrder
and the worker must then find that capture at the provider by the attempt's idempotency key.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from tortoise import connections

from models.orders import Order, OrderStatus, RefundStatus
from resolvers.payments import (
    DEFAULT_PROVIDER,
    Charge,
    TestPaymentProvider,
    get_provider,
    register_provider,
)
from tests.carts.shop import ADDRESS, CANCEL, CHECKOUT, Shop, make_cart, new_key, pk, variant_of
from tests.conftest import Backend
from tests.factories import MakeProduct, SignIn
from tests.utils import GraphQLClient, gid, run_job


class _Outage:
    """PostgreSQL going away for the app's database, from a connection of its own."""

    def __init__(self, database_url: str) -> None:
        self.server, _, self.name = database_url.rpartition("/")
        self.down = False

    async def _run(self, *statements: str) -> None:
        connection = await asyncpg.connect(f"{self.server}/postgres")
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    async def begin(self) -> None:
        # Refusing new sessions too, so the pool cannot quietly reconnect for the next write.
        self.down = True
        await self._run(
            f'ALTER DATABASE "{self.name}" WITH ALLOW_CONNECTIONS false',
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{self.name}' AND pid <> pg_backend_pid()",
        )

    async def end(self) -> None:
        if self.down:
            await self._run(f'ALTER DATABASE "{self.name}" WITH ALLOW_CONNECTIONS true')
            self.down = False


class _LosesTheDatabase(TestPaymentProvider):
    """The test provider; PostgreSQL goes away right after its first successful capture (or,
    with `before_charging`, in the first authorization, which then never reaches the gateway)."""

    def __init__(self, outage: _Outage) -> None:
        super().__init__()
        self.outage = outage
        self.before_charging = False
        self.struck = False

    async def authorize(self, **kwargs: Any) -> Charge:
        if self.before_charging and not self.struck:
            self.struck = True
            await self.outage.begin()
            raise ConnectionResetError("the network went with the database")
        return await super().authorize(**kwargs)

    async def capture(self, **kwargs: Any) -> Charge:
        charge = await super().capture(**kwargs)
        if charge.approved and not self.struck:
            self.struck = True
            await self.outage.begin()
        return charge


@pytest.fixture
async def outage_provider(running: Backend) -> AsyncIterator[_LosesTheDatabase]:
    outage = _Outage(running.settings.database_url)
    original = get_provider(DEFAULT_PROVIDER)
    provider = _LosesTheDatabase(outage)
    register_provider(provider)
    try:
        yield provider
    finally:
        await outage.end()
        register_provider(original)


async def _checkout_through_outage(
    gql: GraphQLClient, provider: _LosesTheDatabase, token: str, cart_id: int, key: str
) -> None:
    """The checkout whose capture succeeds and whose database is gone before it records it."""
    variables = {"cart": gid("Cart", cart_id), "key": key, "address": ADDRESS, "payment": "tok_ok"}
    try:
        lost = await gql.post(CHECKOUT, variables, token=token)
    except Exception:  # however the app reports the outage, the answer is not a payment
        lost = None
    finally:
        await provider.outage.end()
    assert provider.struck
    if lost is not None:
        answer = (lost.data or {}).get("checkout") or {}
        assert (answer.get("order") or {}).get("status") != "PAID", lost.body


async def _unpaid_order_after_outage(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    provider: _LosesTheDatabase,
) -> tuple[str, int, int, str]:
    buyer = await sign_in()
    variant = await variant_of(await make_product(variants=[(1500, 5)]))
    cart = await make_cart(buyer.user, [(variant, 2)])
    key = new_key()
    await _checkout_through_outage(gql, provider, buyer.token, cart.id, key)
    order = await Order.get(buyer_id=buyer.user.id)
    assert order.status is OrderStatus.PENDING_PAYMENT  # the capture never reached the order
    return buyer.token, cart.id, order.id, key


async def _age_attempts(order_id: int) -> None:
    """Past the grace the worker leaves a request that may still be charging."""
    await _exec(
        "UPDATE payment_attempts SET created_at = created_at - interval '10 minutes', "
        f"updated_at = updated_at - interval '10 minutes' WHERE order_id = {order_id}"
    )


async def _exec(sql: str) -> None:
    await connections.get("default").execute_script(sql)


async def test_a_capture_lost_with_the_database_is_found_by_the_retry(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_product: MakeProduct,
    outage_provider: _LosesTheDatabase,
    services: Any,
) -> None:
    token, cart_id, order_id, key = await _unpaid_order_after_outage(
        gql, sign_in, make_product, outage_provider
    )

    retried = await shop.checkout(token, cart_id, key=key)
    paid = await shop.pay(token, order_id)
    reconciled = await run_job(services.queue, "reconcile_payments")
    expired = await run_job(services.queue, "expire_unpaid_orders")

    assert retried["__typename"] == "CheckoutSuccess", retried
    assert retried["order"]["status"] == "PAID"
    assert paid["__typename"] == "OrderStateError"
    assert paid["status"] == "PAID"
    assert (reconciled.status, expired.status) == ("complete", "complete")
    row = await Order.get(id=order_id)
    assert (row.status, row.refund_status) == (OrderStatus.PAID, RefundStatus.NONE)
    assert outage_provider.captured_charges() == [row.payment_reference]
    assert outage_provider.refunded_charges() == []


async def test_a_lost_capture_of_an_order_cancelled_meanwhile_is_refunded_once(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    outage_provider: _LosesTheDatabase,
    services: Any,
) -> None:
    token, _, order_id, _ = await _unpaid_order_after_outage(
        gql, sign_in, make_product, outage_provider
    )
    cancelled = await gql.data(CANCEL, {"order": gid("Order", order_id)}, token=token)
    assert cancelled["cancelOrder"]["order"]["status"] == "CANCELLED"

    first = await run_job(services.queue, "reconcile_payments")
    await _age_attempts(order_id)
    again = await run_job(services.queue, "reconcile_payments")
    refunds = await run_job(services.queue, "retry_refunds")

    assert (first.status, again.status, refunds.status) == ("complete",) * 3, first.error
    row = await Order.get(id=order_id)
    assert (row.status, row.refund_status) == (OrderStatus.CANCELLED, RefundStatus.SUCCEEDED)
    assert outage_provider.captured_charges() == [row.payment_reference]
    assert outage_provider.refunded_charges() == [row.payment_reference]


async def test_the_expiry_job_settles_a_lost_capture_before_cancelling(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    outage_provider: _LosesTheDatabase,
    services: Any,
) -> None:
    _, _, order_id, _ = await _unpaid_order_after_outage(
        gql, sign_in, make_product, outage_provider
    )
    await Order.filter(id=order_id).update(expires_at=datetime.now(UTC) - timedelta(minutes=1))

    job = await run_job(services.queue, "expire_unpaid_orders")

    assert job.status == "complete", job.error
    row = await Order.get(id=order_id)
    assert (row.status, row.refund_status) == (OrderStatus.PAID, RefundStatus.NONE)
    assert outage_provider.captured_charges() == [row.payment_reference]
    assert outage_provider.refunded_charges() == []


async def test_an_attempt_the_provider_never_saw_is_declined_and_can_be_paid_again(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_product: MakeProduct,
    outage_provider: _LosesTheDatabase,
    services: Any,
) -> None:
    outage_provider.before_charging = True
    token, _, order_id, _ = await _unpaid_order_after_outage(
        gql, sign_in, make_product, outage_provider
    )

    early = await shop.pay(token, order_id)  # the attempt may still be charging: wait
    fresh = await run_job(services.queue, "reconcile_payments")
    assert (await Order.get(id=order_id)).payment_reference == ""
    await _age_attempts(order_id)
    job = await run_job(services.queue, "reconcile_payments")
    declined = await Order.get(id=order_id)
    paid = await shop.pay(token, order_id)

    assert early["__typename"] == "OrderStateError", early
    assert "under way" in early["message"]
    assert fresh.status == job.status == "complete"
    assert declined.status is OrderStatus.PENDING_PAYMENT
    assert declined.payment_reference == "declined:payment_interrupted"
    assert paid["__typename"] == "PayOrderSuccess", paid
    row = await Order.get(id=order_id)
    assert outage_provider.captured_charges() == [row.payment_reference]


# ---- an attempt still in flight ---------------------------------------------------------------


class _HoldsAfterCapture(TestPaymentProvider):
    """The test provider; its first capture is made, then its answer is held back."""

    def __init__(self) -> None:
        super().__init__()
        self.captured = asyncio.Event()
        self.release = asyncio.Event()

    async def capture(self, **kwargs: Any) -> Charge:
        charge = await super().capture(**kwargs)
        if not self.captured.is_set():
            self.captured.set()
            await self.release.wait()
        return charge


@pytest.fixture
def held_provider() -> Iterator[_HoldsAfterCapture]:
    original = get_provider(DEFAULT_PROVIDER)
    provider = _HoldsAfterCapture()
    register_provider(provider)
    try:
        yield provider
    finally:
        provider.release.set()
        register_provider(original)


@pytest.mark.parametrize("first", ["retry", "payOrder"])
async def test_retry_and_pay_order_never_capture_again_while_an_attempt_is_in_flight(
    first: str,
    shop: Shop,
    sign_in: SignIn,
    make_product: MakeProduct,
    held_provider: _HoldsAfterCapture,
) -> None:
    buyer = await sign_in()
    variant = await variant_of(await make_product(variants=[(1500, 5)]))
    cart = await make_cart(buyer.user, [(variant, 1)])
    key = new_key()
    placing = asyncio.create_task(shop.checkout(buyer.token, cart, key=key))
    await asyncio.wait_for(held_provider.captured.wait(), 10)
    order_id = (await Order.get(buyer_id=buyer.user.id)).id
    # Long enough in flight to have looked dead before payment attempts were recorded.
    await Order.filter(id=order_id).update(updated_at=datetime.now(UTC) - timedelta(minutes=3))

    if first == "retry":
        retried = await shop.checkout(buyer.token, cart, key=key)
        paid = await shop.pay(buyer.token, order_id)
        assert (paid["__typename"], paid["status"]) == ("OrderStateError", "PAID"), paid
    else:
        paid = await shop.pay(buyer.token, order_id)
        retried = await shop.checkout(buyer.token, cart, key=key)
        assert paid["__typename"] == "PayOrderSuccess", paid
        assert paid["order"]["status"] == "PAID"
    held_provider.release.set()
    placed = await asyncio.wait_for(placing, 10)

    assert retried["__typename"] == "CheckoutSuccess", retried
    assert retried["order"]["status"] == "PAID"
    assert placed == retried
    row = await Order.get(id=order_id)
    assert (row.status, row.refund_status) == (OrderStatus.PAID, RefundStatus.NONE)
    assert held_provider.captured_charges() == [row.payment_reference]
    assert held_provider.refunded_charges() == []
    assert pk(retried["order"]["id"]) == order_id
