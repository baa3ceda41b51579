"""Refunds: owed money is tracked on the order and retried by the worker until it goes back."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models.accounts import Role
from models.orders import Order, OrderStatus, PaymentAttempt, RefundStatus
from resolvers.orders import MAX_REFUND_ATTEMPTS, retry_pending_refunds
from resolvers.payments import (
    DEFAULT_PROVIDER,
    Charge,
    TestPaymentProvider,
    get_provider,
    register_provider,
)
from tests.carts.shop import CANCEL, Shop, make_cart, pk, variant_of
from tests.factories import MakeProduct, SignIn
from tests.utils import GraphQLClient, gid, run_job


async def _paid_order(
    shop: Shop, sign_in: SignIn, make_product: MakeProduct, payment: str
) -> tuple[str, int]:
    buyer = await sign_in()
    variant = await variant_of(await make_product(variants=[(1500, 5)]))
    placed = await shop.checkout(
        buyer.token, await make_cart(buyer.user, [(variant, 2)]), payment=payment
    )
    assert placed["order"]["status"] == "PAID", placed
    return buyer.token, pk(placed["order"]["id"])


async def _cancel(gql: GraphQLClient, token: str, order_id: int) -> dict[str, Any]:
    data = await gql.data(CANCEL, {"order": gid("Order", order_id)}, token=token)
    order: dict[str, Any] = data["cancelOrder"]["order"]
    return order


async def _age(order_id: int) -> None:
    """Past the worker's grace period for refunds the request itself is still attempting."""
    await Order.filter(id=order_id).update(updated_at=datetime.now(UTC) - timedelta(minutes=5))


@pytest.mark.smoke
async def test_cancelling_a_paid_order_refunds_it(
    gql: GraphQLClient, shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    token, order_id = await _paid_order(shop, sign_in, make_product, "tok_ok")

    order = await _cancel(gql, token, order_id)

    assert (order["status"], order["refundStatus"]) == ("REFUNDED", "SUCCEEDED")
    assert order["refundedAt"] is not None
    row = await Order.get(id=order_id)
    assert row.refund_reference.startswith("test_re_")
    assert row.refund_attempts == 1


async def test_cancelling_an_unpaid_order_owes_nothing(
    gql: GraphQLClient, shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    variant = await variant_of(await make_product(variants=[(1500, 5)]))
    placed = await shop.checkout(
        buyer.token, await make_cart(buyer.user, [(variant, 1)]), payment="tok_declined"
    )

    order = await _cancel(gql, buyer.token, pk(placed["order"]["id"]))

    assert (order["status"], order["refundStatus"], order["refundedAt"]) == (
        "CANCELLED",
        "NONE",
        None,
    )


@pytest.mark.smoke
async def test_worker_retries_a_refund_the_provider_refused(
    gql: GraphQLClient, shop: Shop, sign_in: SignIn, make_product: MakeProduct, services: Any
) -> None:
    token, order_id = await _paid_order(shop, sign_in, make_product, "tok_ok_refund_fails_once")

    order = await _cancel(gql, token, order_id)

    # The order is refunded at once; the money is owed until the provider confirms.
    assert (order["status"], order["refundStatus"]) == ("REFUNDED", "PENDING")
    assert (await Order.get(id=order_id)).refund_attempts == 1
    job = await run_job(services.queue, "retry_refunds")
    assert job.result == {"succeeded": 0, "pending": 0, "failed": 0}  # too fresh to retry yet

    await _age(order_id)
    job = await run_job(services.queue, "retry_refunds")

    assert job.status == "complete", job.error
    assert job.result == {"succeeded": 1, "pending": 0, "failed": 0}
    row = await Order.get(id=order_id)
    assert (row.refund_status, row.refund_attempts) == (RefundStatus.SUCCEEDED, 2)
    assert row.refund_reference.startswith("test_re_rf1_")


async def test_a_refund_fails_for_good_after_the_last_attempt(
    gql: GraphQLClient, shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    token, order_id = await _paid_order(shop, sign_in, make_product, "tok_ok_refund_fails")
    assert (await _cancel(gql, token, order_id))["refundStatus"] == "PENDING"

    for attempt in range(2, MAX_REFUND_ATTEMPTS + 1):
        await _age(order_id)
        report = await retry_pending_refunds()
        expected = RefundStatus.FAILED if attempt == MAX_REFUND_ATTEMPTS else RefundStatus.PENDING
        row = await Order.get(id=order_id)
        assert (row.refund_status, row.refund_attempts) == (expected, attempt)
    assert (report.failed, report.pending) == (1, 0)
    await _age(order_id)
    assert (await retry_pending_refunds()).failed == 0  # FAILED is left to an operator
    assert (await Order.get(id=order_id)).refund_attempts == MAX_REFUND_ATTEMPTS
    seen = await gql.data(
        "query($id: ID!) { order(id: $id) { refundStatus } }",
        {"id": gid("Order", order_id)},
        token=token,
    )
    assert seen["order"]["refundStatus"] == "FAILED"


class _CaptureGate(TestPaymentProvider):
    """The test provider, holding each capture until the test lets it finish."""

    def __init__(self) -> None:
        super().__init__()
        self.capturing = asyncio.Event()
        self.release = asyncio.Event()
        self.captures = 0
        self.second_capture = asyncio.Event()

    async def capture(self, *, reference: str, amount: int, idempotency_key: str) -> Charge:
        self.captures += 1
        self.capturing.set()
        if self.captures >= 2:
            self.second_capture.set()
        await self.release.wait()
        return await super().capture(
            reference=reference, amount=amount, idempotency_key=idempotency_key
        )


@pytest.fixture
def gated_provider() -> Iterator[_CaptureGate]:
    original = get_provider(DEFAULT_PROVIDER)
    gate = _CaptureGate()
    register_provider(gate)
    try:
        yield gate
    finally:
        register_provider(original)


async def test_an_order_cancelled_while_its_payment_runs_is_refunded(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_product: MakeProduct,
    gated_provider: _CaptureGate,
) -> None:
    buyer = await sign_in()
    variant = await variant_of(await make_product(variants=[(1500, 5)]))
    cart = await make_cart(buyer.user, [(variant, 1)])
    checkout = asyncio.create_task(shop.checkout(buyer.token, cart))
    await asyncio.wait_for(gated_provider.capturing.wait(), 10)
    order_id = (await Order.get(buyer_id=buyer.user.id)).id

    cancelled = await _cancel(gql, buyer.token, order_id)
    gated_provider.release.set()
    result = await checkout

    assert (cancelled["status"], cancelled["refundStatus"]) == ("CANCELLED", "NONE")
    assert result["__typename"] == "OrderStateError"
    assert result["status"] == "CANCELLED"
    assert "refunded" in result["message"]
    row = await Order.get(id=order_id)
    assert row.status is OrderStatus.CANCELLED
    assert row.refund_status is RefundStatus.SUCCEEDED
    assert row.payment_reference.startswith("test_ch_")


REFUNDS = "query($s: RefundStatus) { refunds(status: $s) { totalCount edges { node { id } } } }"
RETRY = """
mutation($order: ID!) { retryRefund(orderId: $order) {
  __typename ... on RetryRefundSuccess { order { refundStatus refundedAt } }
  ... on OrderStateError { status message } } }
"""
SETTLE = """
mutation($order: ID!, $ref: String!) { settleRefund(orderId: $order, reference: $ref) {
  __typename ... on SettleRefundSuccess { order { refundStatus refundedAt } }
  ... on ValidationError { field message } ... on OrderStateError { status message } } }
"""


async def _failed(order_id: int) -> None:
    await Order.filter(id=order_id).update(
        refund_status=RefundStatus.FAILED, refund_attempts=MAX_REFUND_ATTEMPTS
    )


async def test_admins_find_failed_refunds_and_settle_them_by_hand(
    gql: GraphQLClient, shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    admin = await sign_in(role=Role.ADMIN)
    token, order_id = await _paid_order(shop, sign_in, make_product, "tok_ok_refund_fails")
    await _cancel(gql, token, order_id)
    await _failed(order_id)

    listed = await gql.data(REFUNDS, {}, token=admin.token)  # FAILED by default
    as_null = await gql.data(REFUNDS, {"s": None}, token=admin.token)  # null: the default
    pending = await gql.data(REFUNDS, {"s": "PENDING"}, token=admin.token)
    by_buyer = await gql.post(REFUNDS, {}, token=token)
    bad = await gql.data(
        SETTLE, {"order": gid("Order", order_id), "ref": "two words"}, token=admin.token
    )
    settled = await gql.data(
        SETTLE, {"order": gid("Order", order_id), "ref": "re_dash_42"}, token=admin.token
    )
    again = await gql.data(
        SETTLE, {"order": gid("Order", order_id), "ref": "re_dash_43"}, token=admin.token
    )

    assert listed["refunds"]["edges"] == [{"node": {"id": gid("Order", order_id)}}]
    assert as_null == listed
    assert pending["refunds"]["totalCount"] == 0
    assert by_buyer.codes == ["FORBIDDEN"]
    assert bad["settleRefund"]["__typename"] == "ValidationError"
    assert settled["settleRefund"]["order"]["refundStatus"] == "SUCCEEDED"
    assert settled["settleRefund"]["order"]["refundedAt"] is not None
    assert again["settleRefund"]["__typename"] == "OrderStateError"
    assert "SUCCEEDED" in again["settleRefund"]["message"]
    assert (await Order.get(id=order_id)).refund_reference == "re_dash_42"


async def test_an_admin_retries_a_failed_refund(
    gql: GraphQLClient, shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    admin = await sign_in(role=Role.ADMIN)
    token, order_id = await _paid_order(shop, sign_in, make_product, "tok_ok_refund_fails_once")
    assert (await _cancel(gql, token, order_id))["refundStatus"] == "PENDING"
    await _failed(order_id)  # as if the provider had been down for all the worker's attempts

    retried = await gql.data(RETRY, {"order": gid("Order", order_id)}, token=admin.token)
    again = await gql.data(RETRY, {"order": gid("Order", order_id)}, token=admin.token)

    assert retried["retryRefund"]["order"]["refundStatus"] == "SUCCEEDED"
    assert again["retryRefund"]["__typename"] == "OrderStateError"
    row = await Order.get(id=order_id)
    assert (row.refund_status, row.refund_attempts) == (RefundStatus.SUCCEEDED, 1)


async def test_a_second_capture_after_a_stale_attempt_is_refunded_on_its_own(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_product: MakeProduct,
    gated_provider: _CaptureGate,
) -> None:
    buyer = await sign_in()
    variant = await variant_of(await make_product(variants=[(1500, 5)]))
    placed = await shop.checkout(
        buyer.token, await make_cart(buyer.user, [(variant, 1)]), payment="tok_declined"
    )
    order_id = pk(placed["order"]["id"])
    first = asyncio.create_task(shop.pay(buyer.token, order_id))
    await asyncio.wait_for(gated_provider.capturing.wait(), 10)
    # The first attempt looks dead (in flight past the grace, and the provider has no capture
    # for its key), so payOrder declines it and a second may start.
    await PaymentAttempt.filter(order_id=order_id).update(
        created_at=datetime.now(UTC) - timedelta(minutes=3)
    )
    second = asyncio.create_task(shop.pay(buyer.token, order_id))
    await asyncio.wait_for(gated_provider.second_capture.wait(), 10)

    gated_provider.release.set()
    results = sorted([await first, await second], key=lambda r: r["__typename"])

    assert [r["__typename"] for r in results] == ["OrderStateError", "PayOrderSuccess"]
    # The order as the refunded attempt found it: paid already, or about to be by the other.
    assert results[0]["status"] in ("PAID", "PENDING_PAYMENT")
    assert "This payment was refunded." in results[0]["message"]
    row = await Order.get(id=order_id)
    assert (row.status, row.refund_status) == (OrderStatus.PAID, RefundStatus.NONE)
    stray = gated_provider.refunded_charges()
    assert len(stray) == 1
    assert stray[0] != row.payment_reference  # the other capture went back, the payment stays

    cancelled = await _cancel(gql, buyer.token, order_id)  # and the payment refunds on its own

    assert (cancelled["status"], cancelled["refundStatus"]) == ("REFUNDED", "SUCCEEDED")
    assert sorted(gated_provider.refunded_charges()) == sorted([stray[0], row.payment_reference])
