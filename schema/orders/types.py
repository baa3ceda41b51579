"""Order object types and enums: Order, OrderLine, ShippingAddress, AttributionReport."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.orders import LineStatus as LineStatusModel
from models.orders import Order as OrderModel
from models.orders import OrderLine as OrderLineModel
from models.orders import OrderStatus as OrderStatusModel
from models.orders import RefundStatus as RefundStatusModel
from resolvers import orders
from resolvers.carts.loaders import coupon_by_id
from resolvers.catalog.loaders import merchant_by_id
from resolvers.orders import AttributionTotals, OrderAccess
from resolvers.orders.loaders import lines_by_order
from schema.accounts import User
from schema.base import Info, describe_values
from schema.carts import Attribution as AttributionType
from schema.content import Post, Tutorial
from schema.money import Money
from schema.nodes import VisibleNode, build_each

if TYPE_CHECKING:
    from schema.catalog import Merchant, Product, Variant

OrderStatus = strawberry.enum(
    OrderStatusModel,
    name="OrderStatus",
    description="PENDING_PAYMENT (holds its stock until `expiresAt`), PAID, SHIPPED (every line "
    "shipped), DELIVERED (every line delivered), COMPLETED (confirmed by the buyer), CANCELLED "
    "(before payment), REFUNDED.",
)
describe_values(
    OrderStatus,
    {
        "PENDING_PAYMENT": "Placed, not paid: holds its stock until `expiresAt`, then is "
        "cancelled.",
        "PAID": "Payment captured; waiting to ship.",
        "SHIPPED": "Every line has shipped.",
        "DELIVERED": "Every line was delivered; the buyer may complete it.",
        "COMPLETED": "The buyer confirmed receipt.",
        "CANCELLED": "Cancelled before payment (by the buyer, an admin, or on expiry).",
        "REFUNDED": "Paid, then refunded in full; see `refundStatus` for the money.",
    },
)
RefundStatus = strawberry.enum(
    RefundStatusModel,
    name="RefundStatus",
    description="The money of a cancelled or refunded order: NONE (nothing was charged), "
    "PENDING (owed; retried until the payment provider confirms), SUCCEEDED, FAILED (retries "
    "exhausted; an operator refunds it by hand).",
)
describe_values(
    RefundStatus,
    {
        "NONE": "Nothing to give back: nothing was charged.",
        "PENDING": "Owed to the buyer; the provider is asked until it confirms.",
        "SUCCEEDED": "The provider confirmed it, or an admin settled it by hand.",
        "FAILED": "The provider kept refusing: an admin retries it or settles it by hand.",
    },
)
OrderLineStatus = strawberry.enum(
    LineStatusModel,
    name="OrderLineStatus",
    description="Fulfilment of one line: UNFULFILLED, SHIPPED, DELIVERED.",
)
describe_values(
    OrderLineStatus,
    {
        "UNFULFILLED": "Not shipped yet.",
        "SHIPPED": "Handed to the carrier; see `carrier` and `trackingNumber`.",
        "DELIVERED": "Arrived at the buyer.",
    },
)


@strawberry.type(description="Where an order ships to.")
class ShippingAddress:
    name: str = strawberry.field(description="Recipient.")
    line1: str = strawberry.field(description="Street and number.")
    line2: str = strawberry.field(description="Flat, floor, etc.; may be empty.")
    city: str = strawberry.field(description="City or town.")
    region: str = strawberry.field(description="State or province; may be empty.")
    postal_code: str = strawberry.field(description="Postal or ZIP code, as the country writes it.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    phone: str = strawberry.field(description="Phone; may be empty.")

    @classmethod
    def from_dict(cls, value: dict[str, str]) -> Self:
        return cls(**{name: value.get(name, "") for name in orders.ADDRESS_FIELDS})


@strawberry.type(
    description="One line of an order: a snapshot of the product, variant and price bought."
)
class OrderLine(VisibleNode):
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
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        found = await orders.visible_order_lines(info.context, ids)
        return build_each(found, lambda pair: cls.from_model(pair[0], pair[1].order.currency))

    @strawberry.field(
        description="The product's id (it may have changed or gone since).",
        deprecation_reason="Use product.id",
    )
    def product_id(self) -> strawberry.ID:
        return strawberry.ID(str(relay.GlobalID("Product", str(self.row.product_id))))

    @strawberry.field(
        description="The product as it is now, seen like any product: null once it is no "
        "longer ACTIVE (archived, back in draft) or deleted, except to its merchant's managers. "
        "What was bought stays in this line's snapshot (`productTitle`, `variantTitle`, `sku`, "
        "`unitPrice`)."
    )
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("schema.catalog")] | None:
        from schema.catalog import Product

        return await Product.load_one(info, self.row.product_id)

    @strawberry.field(
        description="The variant as it is now, under the product's visibility: null if it "
        "was deleted, or its product is a draft or archived and you are not on the merchant's "
        "team (the line keeps its snapshot: title, SKU, prices)."
    )
    async def variant(
        self, info: Info
    ) -> Annotated[Variant, strawberry.lazy("schema.catalog")] | None:
        from schema.catalog import Variant

        if self.row.variant_id is None:
            return None
        return await Variant.load_one(info, self.row.variant_id)

    @strawberry.field(description="The merchant who sells and ships this line.")
    async def merchant(
        self, info: Info
    ) -> Annotated[Merchant, strawberry.lazy("schema.catalog")] | None:
        from schema.catalog import Merchant

        row = await info.context.loaders[merchant_by_id].load(self.row.merchant_id)
        return Merchant.from_model(row) if row else None


@strawberry.type(
    description="An order. Its buyer and admins see all of it; a merchant sees only its own "
    "lines (totals are over the lines you see) and not the address or payment."
)
class Order(VisibleNode):
    id: relay.NodeID[int]
    status: OrderStatus = strawberry.field(description="Where the order is in its lifecycle.")  # type: ignore[valid-type]
    currency: str = strawberry.field(description="Currency of every amount in the order.")
    created_at: datetime = strawberry.field(description="When it was placed.")
    expires_at: datetime | None = strawberry.field(
        description="Unpaid orders are cancelled at this time and their stock released."
    )
    paid_at: datetime | None = strawberry.field(description="When payment was captured.")
    cancelled_at: datetime | None = strawberry.field(description="When it was cancelled.")
    refund_status: RefundStatus = strawberry.field(  # type: ignore[valid-type]
        description="Whether the money of a cancelled or refunded order is back with the buyer."
    )
    refunded_at: datetime | None = strawberry.field(
        description="When the payment provider confirmed the refund."
    )
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
            refund_status=row.refund_status,
            refunded_at=row.refunded_at,
            row=row,
            visible_merchants=visible_merchants,
        )

    @classmethod
    def from_access(cls, access: OrderAccess) -> Self:
        return cls.from_model(access.order, access.visible_merchants)

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await orders.visible_orders(info.context, ids), cls.from_access)

    @property
    def sees_everything(self) -> bool:
        return self.visible_merchants is None

    async def _lines(self, info: Info) -> list[OrderLineModel]:
        rows = await info.context.loaders[lines_by_order].load(self.row.id)
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

    @strawberry.field(
        description="The buyer; null if that account is deactivated (staff still see it)."
    )
    async def buyer(self, info: Info) -> User | None:
        return await User.related(info, self.row.buyer_id)

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
        coupon = await info.context.loaders[coupon_by_id].load(self.row.coupon_id)
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

    post_id: strawberry.Private[int | None] = None
    tutorial_id: strawberry.Private[int | None] = None

    @classmethod
    def from_totals(
        cls, totals: AttributionTotals, post_id: int | None = None, tutorial_id: int | None = None
    ) -> Self:
        return cls(
            orders=totals.orders,
            units=totals.units,
            gmv=[Money.of(amount, currency) for amount, currency in totals.gmv],
            post_id=post_id,
            tutorial_id=tutorial_id,
        )

    @strawberry.field(
        description="For a TUTORIAL source: the tutorial itself; null if it is gone or you may "
        "not see it (and for other sources)."
    )
    async def tutorial(self, info: Info) -> Tutorial | None:
        if self.tutorial_id is None:
            return None
        return await Tutorial.load_one(info, self.tutorial_id)

    @strawberry.field(
        description="For a POST source: the post itself; null if it is gone or you may not see "
        "it (and for other sources)."
    )
    async def post(self, info: Info) -> Post | None:
        return None if self.post_id is None else await Post.load_one(info, self.post_id)
