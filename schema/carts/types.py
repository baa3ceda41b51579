"""Cart object types and enums: Cart, CartLine, Coupon."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.carts import Cart as CartModel
from models.carts import CartLine as CartLineModel
from models.carts import CartStatus as CartStatusModel
from models.carts import Coupon as CouponModel
from models.carts import CouponKind as CouponKindModel
from models.catalog import Variant as VariantModel
from resolvers import carts
from resolvers.carts.loaders import cart_by_id
from resolvers.catalog.loaders import merchant_by_id, product_by_id
from schema.base import Info, describe_values
from schema.carts.attribution import Attribution
from schema.carts.errors import CouponRejectionType
from schema.money import Money
from schema.nodes import VisibleNode, build_each

if TYPE_CHECKING:
    from schema.catalog import Merchant, Product, Variant

CartStatus = strawberry.enum(
    CartStatusModel,
    name="CartStatus",
    description="OPEN carts can change; MERGED ones were folded into an account's cart at "
    "sign-in; CHECKED_OUT ones became an order.",
)
describe_values(
    CartStatus,
    {
        "OPEN": "In use: lines and coupon can change.",
        "MERGED": "An anonymous cart folded into an account's cart at sign-in; it no "
        "longer changes.",
        "CHECKED_OUT": "Became an order.",
    },
)
CouponKind = strawberry.enum(
    CouponKindModel,
    name="CouponKind",
    description="FIXED: `amount` minor units off. PERCENT: `amount` percent off. THRESHOLD: "
    "spend `minSubtotal`, save `amount` minor units.",
)
describe_values(
    CouponKind,
    {
        "FIXED": "`amount` minor units off the eligible lines.",
        "PERCENT": "`amount` percent (1-100) off the eligible lines.",
        "THRESHOLD": "`amount` minor units off once the eligible lines reach `minSubtotal`.",
    },
)


@strawberry.type(description="A variant and quantity in a cart, priced now.")
class CartLine(VisibleNode):
    id: relay.NodeID[int]
    quantity: int = strawberry.field(description="Units wanted.")
    unit_price: Money = strawberry.field(description="The variant's current price.")
    subtotal: Money = strawberry.field(description="Unit price times quantity.")
    discount: Money = strawberry.field(description="This line's share of the coupon discount.")
    total: Money = strawberry.field(description="Subtotal minus discount.")
    quantity_available: int = strawberry.field(description="Units of the variant in stock now.")
    available: bool = strawberry.field(
        description="Whether the product is for sale and enough units are in stock."
    )
    attribution: Attribution | None = strawberry.field(
        description="Where the line came from, if recorded."
    )
    row: strawberry.Private[CartLineModel]
    variant_row: strawberry.Private[VariantModel]
    currency: strawberry.Private[str]

    @classmethod
    def from_priced(cls, priced: carts.PricedLine, currency: str) -> Self:
        item = priced.item
        assert item.line is not None
        return cls(
            id=item.line.id,
            quantity=item.quantity,
            unit_price=Money.of(priced.unit_price, currency),
            subtotal=Money.of(priced.subtotal, currency),
            discount=Money.of(priced.discount, currency),
            total=Money.of(priced.total, currency),
            quantity_available=max(item.variant.stock, 0),
            available=item.available,
            attribution=Attribution.of(item.line),
            row=item.line,
            variant_row=item.variant,
            currency=currency,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        rows = await carts.visible_cart_lines(info.context, ids)
        # Together, so that the carts and their lines load in one batch each.
        return list(await asyncio.gather(*(cls._priced(info, row) for row in rows)))

    @classmethod
    async def _priced(cls, info: Info, row: CartLineModel | None) -> Self | None:
        """The line as its cart prices it now."""
        if row is None:
            return None
        cart = await info.context.loaders[cart_by_id].load(row.cart_id)
        if cart is None:
            return None
        pricing = await carts.price_cart(info.context, cart)
        for priced in pricing.lines:
            if priced.item.line is not None and priced.item.line.id == row.id:
                return cls.from_priced(priced, pricing.currency)
        return None

    @strawberry.field(description="The variant in the cart.")
    def variant(self) -> Annotated[Variant, strawberry.lazy("schema.catalog")]:
        from schema.catalog import Variant

        return Variant.from_model(self.variant_row, self.currency)


@strawberry.type(
    description="A shopping cart, priced now: lines at current prices, the coupon re-checked. "
    "One currency per cart."
)
class Cart(VisibleNode):
    id: relay.NodeID[int]
    status: CartStatus = strawberry.field(description="Whether it can still change.")  # type: ignore[valid-type]
    currency: str = strawberry.field(description="The cart's currency (its first line's).")
    lines: list[CartLine] = strawberry.field(description="What is in the cart, oldest first.")
    item_count: int = strawberry.field(description="Units in the cart.")
    subtotal: Money = strawberry.field(description="Sum of the lines at current prices.")
    discount: Money = strawberry.field(description="The coupon's discount, if it applies.")
    total: Money = strawberry.field(description="Subtotal minus discount.")
    coupon_code: str | None = strawberry.field(description="The coupon on the cart, if any.")
    coupon_rejection: CouponRejectionType | None = strawberry.field(  # type: ignore[valid-type]
        description="Why the coupon on the cart does not apply now (null when it does)."
    )
    updated_at: datetime = strawberry.field(description="Last change.")
    row: strawberry.Private[CartModel]

    @classmethod
    def from_pricing(cls, row: CartModel, pricing: carts.Pricing) -> Self:
        currency = pricing.currency
        return cls(
            id=row.id,
            status=row.status,
            currency=currency,
            lines=[CartLine.from_priced(line, currency) for line in pricing.lines],
            item_count=sum(line.item.quantity for line in pricing.lines),
            subtotal=Money.of(pricing.subtotal, currency),
            discount=Money.of(pricing.discount, currency),
            total=Money.of(pricing.total, currency),
            coupon_code=pricing.coupon.code if pricing.coupon else None,
            coupon_rejection=pricing.coupon_issue,
            updated_at=row.updated_at,
            row=row,
        )

    @classmethod
    async def build(cls, info: Info, row: CartModel) -> Self:
        return cls.from_pricing(row, await carts.price_cart(info.context, row))

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        rows = await carts.visible_carts(info.context, ids)
        return [await cls.build(info, row) if row else None for row in rows]


# ---- coupons ----------------------------------------------------------------------------------


@strawberry.type(description="A merchant's coupon. Visible to the merchant's managers and admins.")
class Coupon(VisibleNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="What buyers type, upper-case.")
    kind: CouponKind = strawberry.field(description="How the discount is computed.")  # type: ignore[valid-type]
    amount: int = strawberry.field(
        description="Percent off (PERCENT) or minor units off (FIXED, THRESHOLD)."
    )
    currency: str = strawberry.field(description="Currency of FIXED and THRESHOLD amounts.")
    min_subtotal: Money = strawberry.field(
        description="Eligible subtotal needed (the X of spend-X-save-Y); 0 for none."
    )
    starts_at: datetime | None = strawberry.field(description="Valid from (UTC), if limited.")
    ends_at: datetime | None = strawberry.field(description="Valid until (UTC), if limited.")
    max_uses: int | None = strawberry.field(description="Total uses allowed, if limited.")
    max_uses_per_user: int = strawberry.field(description="Uses allowed per buyer.")
    uses: int = strawberry.field(description="Uses so far (cancelled orders give theirs back).")
    is_active: bool = strawberry.field(description="Switched on by the merchant.")
    row: strawberry.Private[CouponModel]

    @classmethod
    def from_model(cls, row: CouponModel) -> Self:
        return cls(
            id=row.id,
            code=row.code,
            kind=row.kind,
            amount=row.amount,
            currency=row.currency,
            min_subtotal=Money.of(row.min_subtotal, row.currency),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            max_uses=row.max_uses,
            max_uses_per_user=row.max_uses_per_user,
            uses=row.uses,
            is_active=row.is_active,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await carts.visible_coupons(info.context, ids), cls.from_model)

    @strawberry.field(description="The merchant whose lines the coupon applies to.")
    async def merchant(
        self, info: Info
    ) -> Annotated[Merchant, strawberry.lazy("schema.catalog")] | None:
        from schema.catalog import Merchant

        if self.row.merchant_id is None:
            return None
        row = await info.context.loaders[merchant_by_id].load(self.row.merchant_id)
        return Merchant.from_model(row) if row else None

    @strawberry.field(description="The only product it applies to, if product-scoped.")
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("schema.catalog")] | None:
        from schema.catalog import Product

        if self.row.product_id is None:
            return None
        row = await info.context.loaders[product_by_id].load(self.row.product_id)
        return Product.from_model(row) if row else None
