"""The order mutations: checkout, payment, cancelling, fulfilment, completing, refunds."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.orders import Order as OrderModel
from resolvers import orders
from schema.base import Info, decode_id
from schema.orders.inputs import ShippingAddressInput
from schema.orders.payloads import (
    CancelOrderPayload,
    CancelOrderSuccess,
    CheckoutPayload,
    CheckoutSuccess,
    CompleteOrderPayload,
    CompleteOrderSuccess,
    MarkLinesDeliveredPayload,
    MarkLinesDeliveredSuccess,
    PaymentDeclinedError,
    PayOrderPayload,
    PayOrderSuccess,
    RefundOrderPayload,
    RefundOrderSuccess,
    RetryRefundPayload,
    RetryRefundSuccess,
    SettleRefundPayload,
    SettleRefundSuccess,
    ShipOrderLinesPayload,
    ShipOrderLinesSuccess,
)
from schema.orders.types import Order


async def _as_viewer(info: Info, row: OrderModel) -> Order:
    """The order as the caller may see it (after a change: fresh loaders)."""
    access = await orders.order_access(info.context, row)
    assert access is not None  # the caller just acted on it
    return Order.from_access(access)


def _declined(decline_code: str, order: Order) -> PaymentDeclinedError:
    return PaymentDeclinedError(
        message="The payment was declined. The order stays unpaid until it expires; "
        "pay it with payOrder.",
        decline_code=decline_code,
        order=order,
    )


def _line_ids(values: list[strawberry.ID]) -> list[int]:
    return [decode_id(value, "OrderLine", field="lineIds") for value in values]


@strawberry.type
class OrderMutation:
    @strawberry.mutation(
        description="Turn your cart into an order and charge it. Same `idempotencyKey` and "
        "same input: the same order and response; same key, other input: "
        "IdempotencyConflictError. A declined payment gives PaymentDeclinedError with the "
        "unpaid order (retry with payOrder). Apps need write:orders."
    )
    async def checkout(
        self,
        info: Info,
        cart_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="Your open cart (its `id`), with at least one line."),
        ],
        idempotency_key: Annotated[
            str,
            strawberry.argument(
                description="8-255 printable characters, new for each order: retries with the same "
                "key and input return the same result instead of ordering twice."
            ),
        ],
        shipping_address: Annotated[
            ShippingAddressInput,
            strawberry.argument(description="Where to send the order."),
        ],
        payment_token: Annotated[
            str,
            strawberry.argument(
                description="The payment provider's token for the buyer's payment method, 1-255 "
                "characters."
            ),
        ],
    ) -> CheckoutPayload | None:
        result = await orders.checkout(
            info.context,
            cart_id=decode_id(cart_id, "Cart", field="cartId"),
            idempotency_key=idempotency_key,
            shipping_address=shipping_address.as_dict(),
            payment_token=payment_token,
        )
        order = Order.from_model(result.order, None)
        if result.decline_code is not None:
            return _declined(result.decline_code, order)
        return CheckoutSuccess(order=order)

    @strawberry.mutation(description="Pay your unpaid order again after a decline.")
    async def pay_order(
        self,
        info: Info,
        order_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The order (an Order id) of yours that is PENDING_PAYMENT and not "
                "expired."
            ),
        ],
        payment_token: Annotated[
            str,
            strawberry.argument(
                description="A payment provider token, 1-255 characters; may be a new card."
            ),
        ],
    ) -> PayOrderPayload | None:
        result = await orders.pay_order(
            info.context,
            order_id=decode_id(order_id, "Order", field="orderId"),
            payment_token=payment_token,
        )
        order = Order.from_model(result.order, None)
        if result.decline_code is not None:
            return _declined(result.decline_code, order)
        return PayOrderSuccess(order=order)

    @strawberry.mutation(
        description="Cancel an order that has not shipped: the buyer or an admin. Unpaid "
        "orders become CANCELLED, paid ones REFUNDED; stock goes back."
    )
    async def cancel_order(
        self,
        info: Info,
        order_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The order (an Order id) to cancel; not shipped yet."),
        ],
    ) -> CancelOrderPayload | None:
        row = await orders.cancel_order(
            info.context, order_id=decode_id(order_id, "Order", field="orderId")
        )
        return CancelOrderSuccess(order=await _as_viewer(info, row))

    @strawberry.mutation(
        description="Ship lines of a paid order: the merchant of those lines (owner, staff) or "
        "an admin; apps need write:commerce. All lines shipped: the order is SHIPPED."
    )
    async def ship_order_lines(
        self,
        info: Info,
        order_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The order (an Order id); paid, not cancelled or refunded."
            ),
        ],
        line_ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description="The lines shipped together (OrderLine ids, 1-100), all of them yours "
                "to ship."
            ),
        ],
        carrier: Annotated[
            str,
            strawberry.argument(description="Who carries the parcel, e.g. `UPS`; 1-60 characters."),
        ],
        tracking_number: Annotated[
            str,
            strawberry.argument(description="The carrier's tracking number, 1-80 characters."),
        ],
    ) -> ShipOrderLinesPayload | None:
        row = await orders.ship_lines(
            info.context,
            order_id=decode_id(order_id, "Order", field="orderId"),
            line_ids=_line_ids(line_ids),
            carrier=carrier,
            tracking_number=tracking_number,
        )
        return ShipOrderLinesSuccess(order=await _as_viewer(info, row))

    @strawberry.mutation(
        description="Mark shipped lines delivered (their merchant or an admin; apps: "
        "write:commerce). All lines delivered: the order is DELIVERED."
    )
    async def mark_lines_delivered(
        self,
        info: Info,
        order_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The order (an Order id) whose lines arrived."),
        ],
        line_ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="Shipped lines that arrived (OrderLine ids, 1-100)."),
        ],
    ) -> MarkLinesDeliveredPayload | None:
        row = await orders.deliver_lines(
            info.context,
            order_id=decode_id(order_id, "Order", field="orderId"),
            line_ids=_line_ids(line_ids),
        )
        return MarkLinesDeliveredSuccess(order=await _as_viewer(info, row))

    @strawberry.mutation(description="Confirm a delivered order (the buyer): COMPLETED.")
    async def complete_order(
        self,
        info: Info,
        order_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The order (an Order id) of yours, DELIVERED."),
        ],
    ) -> CompleteOrderPayload | None:
        row = await orders.complete_order(
            info.context, order_id=decode_id(order_id, "Order", field="orderId")
        )
        return CompleteOrderSuccess(order=await _as_viewer(info, row))

    @strawberry.mutation(
        description="Refund a paid order in full: an admin, or the merchant of every line "
        "(apps: write:commerce). Stock goes back only if nothing had shipped."
    )
    async def refund_order(
        self,
        info: Info,
        order_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The order (an Order id) to refund in full: paid, shipped, "
                "delivered or completed."
            ),
        ],
    ) -> RefundOrderPayload | None:
        row = await orders.refund_order(
            info.context, order_id=decode_id(order_id, "Order", field="orderId")
        )
        return RefundOrderSuccess(order=await _as_viewer(info, row))

    @strawberry.mutation(
        description="Admins: attempt a FAILED refund again, with a fresh round of worker "
        "retries if the provider still refuses."
    )
    async def retry_refund(
        self,
        info: Info,
        order_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The order (an Order id) whose refund is FAILED."),
        ],
    ) -> RetryRefundPayload | None:
        row = await orders.retry_refund(
            info.context, order_id=decode_id(order_id, "Order", field="orderId")
        )
        return RetryRefundSuccess(order=await _as_viewer(info, row))

    @strawberry.mutation(
        description="Admins: record a FAILED refund as paid outside Agora (e.g. in the "
        "provider's dashboard), with that refund's reference."
    )
    async def settle_refund(
        self,
        info: Info,
        order_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The order (an Order id) whose refund is FAILED."),
        ],
        reference: Annotated[
            str,
            strawberry.argument(
                description="The refund's reference at the provider, e.g. `re_3PpK2x`; 1-120 "
                "printable characters, kept for the books."
            ),
        ],
    ) -> SettleRefundPayload | None:
        row = await orders.settle_refund(
            info.context,
            order_id=decode_id(order_id, "Order", field="orderId"),
            reference=reference,
        )
        return SettleRefundSuccess(order=await _as_viewer(info, row))
