"""GraphQL shape of orders and checkout: Order, OrderLine, lifecycle mutations, attribution."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.orders import LineStatus as LineStatusModel
from models.orders import Order as OrderModel
from models.orders import OrderLine as OrderLineModel
from models.orders import OrderStatus as OrderStatusModel
from resolvers import orders
from resolvers.errors import BadUserInput, InvalidInput
from resolvers.orders import AttributionTotals, OrderAccess
from schema.accounts import User
from schema.base import Info, decode_id
from schema.carts import Attribution as AttributionType
from schema.carts import AttributionSource, query_id, source_id_of
from schema.errors import (
    CouponNotApplicableError,
    Error,
    IdempotencyConflictError,
    InsufficientStockError,
    NotFoundError,
    OrderStateError,
    PermissionDeniedError,
    ProductUnavailableError,
    ValidationError,
)
from schema.money import Money
from schema.pagination import Connection, page_args, to_connection

if TYPE_CHECKING:
    from schema.catalog import Merchant, Variant

OrderStatus = strawberry.enum(
    OrderStatusModel,
    name="OrderStatus",
    description="PENDING_PAYMENT (holds its stock until `expiresAt`), PAID, SHIPPED (every line "
    "shipped), DELIVERED (every line delivered), COMPLETED (confirmed by the buyer), CANCELLED "
    "(before payment), REFUNDED.",
)
OrderLineStatus = strawberry.enum(
    LineStatusModel,
    name="OrderLineStatus",
    description="Fulfilment of one line: UNFULFILLED, SHIPPED, DELIVERED.",
)


@strawberry.input(description="Where to ship an order.")
class ShippingAddressInput:
    name: str = strawberry.field(description="Recipient.")
    line1: str = strawberry.field(description="Street and number.")
    city: str = strawberry.field(description="City.")
    postal_code: str = strawberry.field(description="Postal code.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. `DE`.")
    line2: str | None = strawberry.field(default=None, description="Flat, floor, etc.")
    region: str | None = strawberry.field(default=None, description="State or province.")
    phone: str | None = strawberry.field(default=None, description="For the carrier.")

    def as_dict(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "line1": self.line1,
            "line2": self.line2,
            "city": self.city,
            "region": self.region,
            "postal_code": self.postal_code,
            "country": self.country,
            "phone": self.phone,
        }


@strawberry.type(description="Where an order ships to.")
class ShippingAddress:
    name: str = strawberry.field(description="Recipient.")
    line1: str = strawberry.field(description="Street and number.")
    line2: str = strawberry.field(description="Flat, floor, etc.; may be empty.")
    city: str = strawberry.field(description="City.")
    region: str = strawberry.field(description="State or province; may be empty.")
    postal_code: str = strawberry.field(description="Postal code.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    phone: str = strawberry.field(description="Phone; may be empty.")

    @classmethod
    def from_dict(cls, value: dict[str, str]) -> Self:
        return cls(**{name: value.get(name, "") for name in orders.ADDRESS_FIELDS})


@strawberry.type(
    description="One line of an order: a snapshot of the product, variant and price bought."
)
class OrderLine(relay.Node):
    id: relay.NodeID[int]
    product_title: str = strawberry.field(description="Product title when ordered.")
    variant_title: str = strawberry.field(description="Variant title when ordered.")
    sku: str = strawberry.field(description="SKU when ordered.")
    unit_price: Money = strawberry.field(description="Price per unit when ordered.")
    quantity: int = strawberry.field(description="Units ordered.")
    discount: Money = strawberry.field(description="This line's share of the coupon discount.")
    total: Money = strawberry.field(description="Unit price times quantity, minus discount.")
    status: OrderLineStatus = strawberry.field(description="Fulfilment of this line.")  # type: ignore[valid-type]
    carrier: str = strawberry.field(description="Carrier, once shipped.")
    tracking_number: str = strawberry.field(description="Tracking number, once shipped.")
    shipped_at: datetime | None = strawberry.field(description="When it shipped.")
    delivered_at: datetime | None = strawberry.field(description="When it was delivered.")
    attribution: AttributionType | None = strawberry.field(
        description="Where the line came from, if recorded."
    )
    row: strawberry.Private[OrderLineModel]
    currency: strawberry.Private[str]

    @classmethod
    def from_model(cls, row: OrderLineModel, currency: str) -> Self:
        return cls(
            id=row.id,
            product_title=row.product_title,
            variant_title=row.variant_title,
            sku=row.sku,
            unit_price=Money.of(row.unit_price, currency),
            quantity=row.quantity,
            discount=Money.of(row.discount, currency),
            total=Money.of(row.total, currency),
            status=row.status,
            carrier=row.carrier,
            tracking_number=row.tracking_number,
            shipped_at=row.shipped_at,
            delivered_at=row.delivered_at,
            attribution=AttributionType.of(row),
            row=row,
            currency=currency,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        ctx = info.context
        rows = await ctx.loaders.order_line_by_id.load_many([int(i) for i in node_ids])
        accesses = await asyncio.gather(
            *(orders.visible_order(ctx, row.order_id) for row in rows if row is not None)
        )
        by_order = {access.order.id: access for access in accesses if access is not None}
        found: list[Self | None] = []
        for row in rows:
            access = by_order.get(row.order_id) if row else None
            if row is None or access is None or not _shows(access, row):
                found.append(None)
            else:
                found.append(cls.from_model(row, access.order.currency))
        return found

    @strawberry.field(description="The product's id (it may have changed or gone since).")
    def product_id(self) -> strawberry.ID:
        return strawberry.ID(str(relay.GlobalID("Product", str(self.row.product_id))))

    @strawberry.field(description="The variant as it is now; null if it was deleted.")
    async def variant(
        self, info: Info
    ) -> Annotated[Variant, strawberry.lazy("schema.catalog")] | None:
        from schema.catalog import Variant

        if self.row.variant_id is None:
            return None
        row = await info.context.loaders.variant_by_id.load(self.row.variant_id)
        return Variant.from_model(row, self.currency) if row else None

    @strawberry.field(description="The merchant who sells and ships this line.")
    async def merchant(
        self, info: Info
    ) -> Annotated[Merchant, strawberry.lazy("schema.catalog")] | None:
        from schema.catalog import Merchant

        row = await info.context.loaders.merchant_by_id.load(self.row.merchant_id)
        return Merchant.from_model(row) if row else None


def _shows(access: OrderAccess, line: OrderLineModel) -> bool:
    merchants = access.visible_merchants
    return merchants is None or line.merchant_id in merchants


@strawberry.type(
    description="An order. Its buyer and admins see all of it; a merchant sees only its own "
    "lines (totals are over the lines you see) and not the address or payment."
)
class Order(relay.Node):
    id: relay.NodeID[int]
    status: OrderStatus = strawberry.field(description="Where the order is in its lifecycle.")  # type: ignore[valid-type]
    currency: str = strawberry.field(description="Currency of every amount in the order.")
    created_at: datetime = strawberry.field(description="When it was placed.")
    expires_at: datetime | None = strawberry.field(
        description="Unpaid orders are cancelled at this time and their stock released."
    )
    paid_at: datetime | None = strawberry.field(description="When payment was captured.")
    cancelled_at: datetime | None = strawberry.field(description="When it was cancelled.")
    row: strawberry.Private[OrderModel]
    visible_merchants: strawberry.Private[frozenset[int] | None]

    @classmethod
    def from_model(cls, row: OrderModel, visible_merchants: frozenset[int] | None) -> Self:
        return cls(
            id=row.id,
            status=row.status,
            currency=row.currency,
            created_at=row.created_at,
            expires_at=row.expires_at,
            paid_at=row.paid_at,
            cancelled_at=row.cancelled_at,
            row=row,
            visible_merchants=visible_merchants,
        )

    @classmethod
    def from_access(cls, access: OrderAccess) -> Self:
        return cls.from_model(access.order, access.visible_merchants)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        accesses = await asyncio.gather(
            *(orders.visible_order(info.context, int(node_id)) for node_id in node_ids)
        )
        return [cls.from_access(access) if access else None for access in accesses]

    @property
    def sees_everything(self) -> bool:
        return self.visible_merchants is None

    async def _lines(self, info: Info) -> list[OrderLineModel]:
        rows = await info.context.loaders.lines_by_order.load(self.row.id)
        merchants = self.visible_merchants
        return [row for row in rows if merchants is None or row.merchant_id in merchants]

    @strawberry.field(description="The lines you may see, in order.")
    async def lines(self, info: Info) -> list[OrderLine]:
        return [OrderLine.from_model(row, self.row.currency) for row in await self._lines(info)]

    @strawberry.field(description="Sum of line prices before discount (of the lines you see).")
    async def subtotal(self, info: Info) -> Money:
        if self.sees_everything:
            return Money.of(self.row.subtotal, self.row.currency)
        lines = await self._lines(info)
        return Money.of(sum(ln.unit_price * ln.quantity for ln in lines), self.row.currency)

    @strawberry.field(description="Coupon discount (of the lines you see).")
    async def discount(self, info: Info) -> Money:
        if self.sees_everything:
            return Money.of(self.row.discount, self.row.currency)
        lines = await self._lines(info)
        return Money.of(sum(ln.discount for ln in lines), self.row.currency)

    @strawberry.field(description="What the buyer pays (for the lines you see).")
    async def total(self, info: Info) -> Money:
        if self.sees_everything:
            return Money.of(self.row.total, self.row.currency)
        lines = await self._lines(info)
        return Money.of(sum(ln.total for ln in lines), self.row.currency)

    @strawberry.field(description="The buyer.")
    async def buyer(self, info: Info) -> User | None:
        row = await info.context.loaders.user_by_id.load(self.row.buyer_id)
        return User.from_model(row) if row else None

    @strawberry.field(
        description="Where it ships: for the buyer, admins, and the merchants who ship its lines."
    )
    def shipping_address(self) -> ShippingAddress | None:
        # Anyone who can see the order sees it: the buyer, an admin, or a merchant of its lines.
        return ShippingAddress.from_dict(self.row.shipping_address)

    @strawberry.field(description="The coupon used, if any. Buyer and admins only.")
    async def coupon_code(self, info: Info) -> str | None:
        if not self.sees_everything or self.row.coupon_id is None:
            return None
        coupon = await info.context.loaders.coupon_by_id.load(self.row.coupon_id)
        return coupon.code if coupon else None

    @strawberry.field(
        description="While unpaid: why the last payment attempt was declined (e.g. "
        "`card_declined`); null otherwise. Buyer and admins only."
    )
    def payment_decline_code(self) -> str | None:
        reference = self.row.payment_reference
        if not self.sees_everything or self.row.status is not OrderStatusModel.PENDING_PAYMENT:
            return None
        return reference[len(orders.DECLINED) :] if reference.startswith(orders.DECLINED) else None


@strawberry.type(description="Orders, units and GMV attributed to a creator or piece of content.")
class AttributionReport:
    orders: int = strawberry.field(description="Paid (not refunded) orders with such lines.")
    units: int = strawberry.field(description="Units on those lines.")
    gmv: list[Money] = strawberry.field(
        description="What buyers paid for those lines (after discounts), one amount per currency."
    )

    @classmethod
    def from_totals(cls, totals: AttributionTotals) -> Self:
        return cls(
            orders=totals.orders,
            units=totals.units,
            gmv=[Money.of(amount, currency) for amount, currency in totals.gmv],
        )


# ---- payloads ---------------------------------------------------------------------------------


@strawberry.type(description="The order was placed (and paid, when `order.status` is PAID).")
class CheckoutSuccess:
    order: Order = strawberry.field(description="The order.")


@strawberry.type(
    description="The order exists and holds its stock until `order.expiresAt`, but the payment "
    "was declined. Retry with payOrder, or let it expire."
)
class PaymentDeclinedError(Error):
    decline_code: str = strawberry.field(
        description="The provider's reason, e.g. `card_declined`, `insufficient_funds`."
    )
    order: Order = strawberry.field(description="The unpaid order.")


@strawberry.type(description="The order is paid.")
class PayOrderSuccess:
    order: Order = strawberry.field(description="The order.")


@strawberry.type(description="The order is cancelled (unpaid) or refunded (paid).")
class CancelOrderSuccess:
    order: Order = strawberry.field(description="The order.")


@strawberry.type(description="The lines are shipped.")
class ShipOrderLinesSuccess:
    order: Order = strawberry.field(description="The order (the lines you may see).")


@strawberry.type(description="The lines are delivered.")
class MarkLinesDeliveredSuccess:
    order: Order = strawberry.field(description="The order (the lines you may see).")


@strawberry.type(description="The order is completed.")
class CompleteOrderSuccess:
    order: Order = strawberry.field(description="The order.")


@strawberry.type(description="The order is refunded.")
class RefundOrderSuccess:
    order: Order = strawberry.field(description="The order.")


CheckoutPayload = Annotated[
    CheckoutSuccess
    | PaymentDeclinedError
    | ValidationError
    | NotFoundError
    | InsufficientStockError
    | ProductUnavailableError
    | CouponNotApplicableError
    | IdempotencyConflictError
    | OrderStateError,
    strawberry.union("CheckoutPayload"),
]
PayOrderPayload = Annotated[
    PayOrderSuccess
    | PaymentDeclinedError
    | ValidationError
    | NotFoundError
    | PermissionDeniedError
    | OrderStateError,
    strawberry.union("PayOrderPayload"),
]
_LIFECYCLE_ERRORS = ValidationError | NotFoundError | PermissionDeniedError | OrderStateError
CancelOrderPayload = Annotated[
    CancelOrderSuccess | _LIFECYCLE_ERRORS, strawberry.union("CancelOrderPayload")
]
ShipOrderLinesPayload = Annotated[
    ShipOrderLinesSuccess | _LIFECYCLE_ERRORS, strawberry.union("ShipOrderLinesPayload")
]
MarkLinesDeliveredPayload = Annotated[
    MarkLinesDeliveredSuccess | _LIFECYCLE_ERRORS, strawberry.union("MarkLinesDeliveredPayload")
]
CompleteOrderPayload = Annotated[
    CompleteOrderSuccess | _LIFECYCLE_ERRORS, strawberry.union("CompleteOrderPayload")
]
RefundOrderPayload = Annotated[
    RefundOrderSuccess | _LIFECYCLE_ERRORS, strawberry.union("RefundOrderPayload")
]


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
class OrderQuery:
    @strawberry.field(description="The viewer's own orders, newest first. Apps need read:orders.")
    async def orders(
        self,
        info: Info,
        status: OrderStatus | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Order]:
        page = await orders.buyer_orders(
            info.context, status=status, args=page_args(first, after, last, before)
        )
        return to_connection(page, lambda row: Order.from_model(row, None))

    @strawberry.field(
        description="Orders with lines of a merchant, newest first, each showing only that "
        "merchant's lines: for its owner, staff and admins (apps: read:orders)."
    )
    async def merchant_orders(
        self,
        info: Info,
        merchant_id: strawberry.ID,
        status: OrderStatus | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Order]:
        merchant = query_id(merchant_id, "Merchant", argument="merchantId")
        page = await orders.merchant_orders(
            info.context,
            merchant_id=merchant,
            status=status,
            args=page_args(first, after, last, before),
        )
        only = frozenset({merchant})
        return to_connection(page, lambda row: Order.from_model(row, only))

    @strawberry.field(
        description="An order you may see (buyer, a merchant of its lines, admin), or null."
    )
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        access = await orders.visible_order(info.context, query_id(id, "Order", argument="id"))
        return Order.from_access(access) if access else None

    @strawberry.field(
        description="Orders, units and GMV attributed to a creator: for the creator and admins "
        "(apps: read:analytics). Counts paid, not refunded orders."
    )
    async def creator_attribution(self, info: Info, creator_id: strawberry.ID) -> AttributionReport:
        totals = await orders.creator_attribution(
            info.context, creator_id=query_id(creator_id, "User", argument="creatorId")
        )
        return AttributionReport.from_totals(totals)

    @strawberry.field(
        description="Orders, units and GMV attributed to one post, tutorial or creator "
        "(`sourceId`) or share link (`shareCode`). Admins see every line; anyone else with "
        "read:analytics sees the lines crediting them as the creator."
    )
    async def content_attribution(
        self,
        info: Info,
        source_type: AttributionSource,  # type: ignore[valid-type]
        source_id: strawberry.ID | None = None,
        share_code: str | None = None,
    ) -> AttributionReport:
        try:
            number = source_id_of(source_id, source_type)
        except InvalidInput as exc:
            raise BadUserInput(exc.message, argument="sourceId") from None
        totals = await orders.content_attribution(
            info.context, source_type=source_type, source_id=number, share_code=share_code
        )
        return AttributionReport.from_totals(totals)


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
        cart_id: strawberry.ID,
        idempotency_key: str,
        shipping_address: ShippingAddressInput,
        payment_token: str,
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
        self, info: Info, order_id: strawberry.ID, payment_token: str
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
    async def cancel_order(self, info: Info, order_id: strawberry.ID) -> CancelOrderPayload | None:
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
        order_id: strawberry.ID,
        line_ids: list[strawberry.ID],
        carrier: str,
        tracking_number: str,
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
        self, info: Info, order_id: strawberry.ID, line_ids: list[strawberry.ID]
    ) -> MarkLinesDeliveredPayload | None:
        row = await orders.deliver_lines(
            info.context,
            order_id=decode_id(order_id, "Order", field="orderId"),
            line_ids=_line_ids(line_ids),
        )
        return MarkLinesDeliveredSuccess(order=await _as_viewer(info, row))

    @strawberry.mutation(description="Confirm a delivered order (the buyer): COMPLETED.")
    async def complete_order(
        self, info: Info, order_id: strawberry.ID
    ) -> CompleteOrderPayload | None:
        row = await orders.complete_order(
            info.context, order_id=decode_id(order_id, "Order", field="orderId")
        )
        return CompleteOrderSuccess(order=await _as_viewer(info, row))

    @strawberry.mutation(
        description="Refund a paid order in full: an admin, or the merchant of every line "
        "(apps: write:commerce). Stock goes back only if nothing had shipped."
    )
    async def refund_order(self, info: Info, order_id: strawberry.ID) -> RefundOrderPayload | None:
        row = await orders.refund_order(
            info.context, order_id=decode_id(order_id, "Order", field="orderId")
        )
        return RefundOrderSuccess(order=await _as_viewer(info, row))
