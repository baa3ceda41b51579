"""GraphQL shape of carts, their lines, coupons and attribution, and the cart mutations."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.attribution import Attributed
from models.attribution import SourceType as SourceTypeModel
from models.carts import Cart as CartModel
from models.carts import CartLine as CartLineModel
from models.carts import CartStatus as CartStatusModel
from models.carts import Coupon as CouponModel
from models.carts import CouponKind as CouponKindModel
from models.catalog import Variant as VariantModel
from resolvers import carts
from resolvers.errors import BadUserInput, InvalidInput
from resolvers.pagination import paginate_list
from schema.accounts import User
from schema.base import Info, decode_id
from schema.errors import (
    ConflictError,
    CouponNotApplicableError,
    CouponRejectionType,
    InsufficientStockError,
    NotFoundError,
    PermissionDeniedError,
    ProductUnavailableError,
    ValidationError,
)
from schema.money import Money
from schema.pagination import Connection, page_args, to_connection

if TYPE_CHECKING:
    from schema.catalog import Merchant, Product, Variant

AttributionSource = strawberry.enum(
    SourceTypeModel,
    name="AttributionSource",
    description="What brought a buyer to a product: a POST, a TUTORIAL, a CREATOR, or a "
    "SHARE_LINK (identified by its share code).",
)
CartStatus = strawberry.enum(
    CartStatusModel,
    name="CartStatus",
    description="OPEN carts can change; MERGED ones were folded into an account's cart at "
    "sign-in; CHECKED_OUT ones became an order.",
)
CouponKind = strawberry.enum(
    CouponKindModel,
    name="CouponKind",
    description="FIXED: `amount` minor units off. PERCENT: `amount` percent off. THRESHOLD: "
    "spend `minSubtotal`, save `amount` minor units.",
)

# Global-id type names of attribution sources (Post and Tutorial arrive with the content domain).
SOURCE_TYPE_NAMES = {
    SourceTypeModel.POST: "Post",
    SourceTypeModel.TUTORIAL: "Tutorial",
    SourceTypeModel.CREATOR: "User",
    SourceTypeModel.SHARE_LINK: "ShareLink",
}


def query_id(value: strawberry.ID, type_name: str, *, argument: str) -> int:
    """decode_id for query arguments: a bad id is BAD_USER_INPUT (queries have no unions)."""
    try:
        return decode_id(value, type_name, field=argument)
    except InvalidInput as exc:
        raise BadUserInput(exc.message, argument=argument) from None


# ---- attribution ------------------------------------------------------------------------------


@strawberry.input(description="Where a cart line came from. Every field is optional.")
class AttributionInput:
    source_type: AttributionSource | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The kind of source."
    )
    source_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The post's or tutorial's id (its global id, or the number); for CREATOR "
        "the creator's User id.",
    )
    creator_id: strawberry.ID | None = strawberry.field(
        default=None, description="The creator (a User id) credited with the sale."
    )
    share_code: str | None = strawberry.field(
        default=None, description="The share-link code the buyer arrived with."
    )


def source_id_of(value: strawberry.ID | None, source_type: SourceTypeModel | None) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        global_id = relay.GlobalID.from_id(text)
        if source_type is None or global_id.type_name != SOURCE_TYPE_NAMES[source_type]:
            raise ValueError(global_id.type_name)
        return int(global_id.node_id)
    except ValueError:
        raise InvalidInput("attribution.sourceId", "Not an id of that kind of source.") from None


def attribution_from_input(value: AttributionInput | None) -> carts.Attribution | None:
    if value is None:
        return None
    source_type = SourceTypeModel(value.source_type) if value.source_type is not None else None
    return carts.Attribution(
        source_type=source_type,
        source_id=source_id_of(value.source_id, source_type),
        creator_id=(
            decode_id(value.creator_id, "User", field="attribution.creatorId")
            if value.creator_id is not None
            else None
        ),
        share_code=value.share_code,
    )


@strawberry.type(description="Where a cart or order line came from.")
class Attribution:
    source_type: AttributionSource | None = strawberry.field(  # type: ignore[valid-type]
        description="The kind of source, if recorded."
    )
    source_id: strawberry.ID | None = strawberry.field(
        description="Global id of the source (Post, Tutorial, User), if recorded."
    )
    share_code: str | None = strawberry.field(description="The share-link code, if any.")
    creator_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, row: Attributed) -> Self | None:
        if row.source_type is None and row.creator_id is None and row.share_code is None:
            return None
        source_id = None
        if row.source_id is not None and row.source_type is not None:
            type_name = SOURCE_TYPE_NAMES[row.source_type]
            source_id = strawberry.ID(str(relay.GlobalID(type_name, str(row.source_id))))
        return cls(
            source_type=row.source_type,
            source_id=source_id,
            share_code=row.share_code,
            creator_id=row.creator_id,
        )

    @strawberry.field(description="The creator credited with the sale, if any.")
    async def creator(self, info: Info) -> User | None:
        if self.creator_id is None:
            return None
        row = await info.context.loaders.user_by_id.load(self.creator_id)
        return User.from_model(row) if row else None


# ---- carts ------------------------------------------------------------------------------------


@strawberry.type(description="A variant and quantity in a cart, priced now.")
class CartLine(relay.Node):
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
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        ctx = info.context
        rows = await ctx.loaders.cart_line_by_id.load_many([int(i) for i in node_ids])
        found: list[Self | None] = []
        for row in rows:
            cart = await carts.visible_cart(ctx, row.cart_id) if row else None
            if row is None or cart is None:
                found.append(None)
                continue
            pricing = await carts.price_cart(ctx, cart)
            line = next(
                (p for p in pricing.lines if p.item.line and p.item.line.id == row.id), None
            )
            found.append(cls.from_priced(line, pricing.currency) if line else None)
        return found

    @strawberry.field(description="The variant in the cart.")
    def variant(self) -> Annotated[Variant, strawberry.lazy("schema.catalog")]:
        from schema.catalog import Variant

        return Variant.from_model(self.variant_row, self.currency)


@strawberry.type(
    description="A shopping cart, priced now: lines at current prices, the coupon re-checked. "
    "One currency per cart."
)
class Cart(relay.Node):
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
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await asyncio.gather(
            *(carts.visible_cart(info.context, int(node_id)) for node_id in node_ids)
        )
        return [await cls.build(info, row) if row else None for row in rows]


# ---- coupons ----------------------------------------------------------------------------------


@strawberry.type(description="A merchant's coupon. Visible to the merchant's managers and admins.")
class Coupon(relay.Node):
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
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await asyncio.gather(
            *(carts.visible_coupon(info.context, int(node_id)) for node_id in node_ids)
        )
        return [cls.from_model(row) if row else None for row in rows]

    @strawberry.field(description="The merchant whose lines the coupon applies to.")
    async def merchant(
        self, info: Info
    ) -> Annotated[Merchant, strawberry.lazy("schema.catalog")] | None:
        from schema.catalog import Merchant

        if self.row.merchant_id is None:
            return None
        row = await info.context.loaders.merchant_by_id.load(self.row.merchant_id)
        return Merchant.from_model(row) if row else None

    @strawberry.field(description="The only product it applies to, if product-scoped.")
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("schema.catalog")] | None:
        from schema.catalog import Product

        if self.row.product_id is None:
            return None
        row = await info.context.loaders.product_by_id.load(self.row.product_id)
        return Product.from_model(row) if row else None


# ---- payloads ---------------------------------------------------------------------------------


@strawberry.type(
    description="The cart. For anonymous callers `cartToken` (shown only here) is what reaches "
    "it: pass it as `cartToken` to cart calls, and to `login` to merge it."
)
class CreateCartSuccess:
    cart: Cart = strawberry.field(description="The cart.")
    cart_token: str | None = strawberry.field(
        description="Anonymous carts only: the `agc_…` token. Store it; it is not shown again."
    )


@strawberry.type(description="The cart after adding the line.")
class AddCartLineSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")


@strawberry.type(description="The cart after changing the line.")
class UpdateCartLineSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")


@strawberry.type(description="The cart after removing the line.")
class RemoveCartLineSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")


@strawberry.type(description="The cart with the coupon applied.")
class ApplyCouponSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")


@strawberry.type(description="The cart without a coupon.")
class RemoveCouponSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")


@strawberry.type(description="The coupon as created.")
class CreateCouponSuccess:
    coupon: Coupon = strawberry.field(description="The new coupon.")


@strawberry.type(description="The coupon after the change.")
class SetCouponActiveSuccess:
    coupon: Coupon = strawberry.field(description="The coupon.")


CreateCartPayload = Annotated[
    CreateCartSuccess | ValidationError | NotFoundError, strawberry.union("CreateCartPayload")
]
_LINE_ERRORS = ValidationError | NotFoundError | InsufficientStockError | ProductUnavailableError
AddCartLinePayload = Annotated[
    AddCartLineSuccess | _LINE_ERRORS, strawberry.union("AddCartLinePayload")
]
UpdateCartLinePayload = Annotated[
    UpdateCartLineSuccess | _LINE_ERRORS, strawberry.union("UpdateCartLinePayload")
]
RemoveCartLinePayload = Annotated[
    RemoveCartLineSuccess | ValidationError | NotFoundError,
    strawberry.union("RemoveCartLinePayload"),
]
ApplyCouponPayload = Annotated[
    ApplyCouponSuccess | ValidationError | NotFoundError | CouponNotApplicableError,
    strawberry.union("ApplyCouponPayload"),
]
RemoveCouponPayload = Annotated[
    RemoveCouponSuccess | ValidationError | NotFoundError, strawberry.union("RemoveCouponPayload")
]
CreateCouponPayload = Annotated[
    CreateCouponSuccess | ValidationError | ConflictError | NotFoundError | PermissionDeniedError,
    strawberry.union("CreateCouponPayload"),
]
SetCouponActivePayload = Annotated[
    SetCouponActiveSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("SetCouponActivePayload"),
]

_CART_TOKEN = strawberry.argument(
    description="Anonymous callers: the cart token from createCart. Signed-in callers omit it "
    "to use their own cart."
)


@strawberry.type
class CartQuery:
    @strawberry.field(
        description="The cart of `cartToken`, or else the viewer's open cart; null if none. "
        "Apps need read:commerce."
    )
    async def cart(
        self, info: Info, cart_token: Annotated[str | None, _CART_TOKEN] = None
    ) -> Cart | None:
        row = await carts.viewer_cart(info.context, cart_token=cart_token)
        return await Cart.build(info, row) if row else None

    @strawberry.field(
        description="A merchant's coupons, newest first: for its owner, staff and admins "
        "(apps: read:commerce)."
    )
    async def coupons(
        self,
        info: Info,
        merchant_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Coupon]:
        rows = await carts.merchant_coupons(
            info.context, merchant_id=query_id(merchant_id, "Merchant", argument="merchantId")
        )
        return to_connection(
            paginate_list(rows, page_args(first, after, last, before)), Coupon.from_model
        )


@strawberry.type
class CartMutation:
    @strawberry.mutation(
        description="Anonymous: start a cart and get its token (shown once). Signed in: your "
        "open cart. Apps need write:orders."
    )
    async def create_cart(self, info: Info) -> CreateCartPayload | None:
        created = await carts.create_cart(info.context)
        return CreateCartSuccess(
            cart=await Cart.build(info, created.cart), cart_token=created.cart_token
        )

    @strawberry.mutation(
        description="Add units of a variant (a line of that variant grows). Checks the product "
        "is for sale, stock, and the cart's currency. A given attribution replaces the line's."
    )
    async def add_cart_line(
        self,
        info: Info,
        variant_id: strawberry.ID,
        quantity: int = 1,
        attribution: AttributionInput | None = None,
        cart_token: Annotated[str | None, _CART_TOKEN] = None,
    ) -> AddCartLinePayload | None:
        row = await carts.add_line(
            info.context,
            cart_token=cart_token,
            variant_id=decode_id(variant_id, "Variant", field="variantId"),
            quantity=quantity,
            attribution=attribution_from_input(attribution),
        )
        return AddCartLineSuccess(cart=await Cart.build(info, row))

    @strawberry.mutation(
        description="Set a line's quantity (0 removes it), re-checking status and stock."
    )
    async def update_cart_line(
        self,
        info: Info,
        line_id: strawberry.ID,
        quantity: int,
        attribution: AttributionInput | None = None,
        cart_token: Annotated[str | None, _CART_TOKEN] = None,
    ) -> UpdateCartLinePayload | None:
        row = await carts.update_line(
            info.context,
            cart_token=cart_token,
            line_id=decode_id(line_id, "CartLine", field="lineId"),
            quantity=quantity,
            attribution=attribution_from_input(attribution),
        )
        return UpdateCartLineSuccess(cart=await Cart.build(info, row))

    @strawberry.mutation(description="Remove a line from the cart.")
    async def remove_cart_line(
        self,
        info: Info,
        line_id: strawberry.ID,
        cart_token: Annotated[str | None, _CART_TOKEN] = None,
    ) -> RemoveCartLinePayload | None:
        row = await carts.remove_line(
            info.context,
            cart_token=cart_token,
            line_id=decode_id(line_id, "CartLine", field="lineId"),
        )
        return RemoveCartLineSuccess(cart=await Cart.build(info, row))

    @strawberry.mutation(
        description="Put a coupon on the cart. It must apply to the cart as it is; it is "
        "checked again on every change and at checkout."
    )
    async def apply_coupon(
        self, info: Info, code: str, cart_token: Annotated[str | None, _CART_TOKEN] = None
    ) -> ApplyCouponPayload | None:
        row = await carts.apply_coupon(info.context, cart_token=cart_token, code=code)
        return ApplyCouponSuccess(cart=await Cart.build(info, row))

    @strawberry.mutation(description="Take the coupon off the cart.")
    async def remove_coupon(
        self, info: Info, cart_token: Annotated[str | None, _CART_TOKEN] = None
    ) -> RemoveCouponPayload | None:
        row = await carts.remove_coupon(info.context, cart_token=cart_token)
        return RemoveCouponSuccess(cart=await Cart.build(info, row))

    @strawberry.mutation(
        description="Create a coupon for a merchant: its owner, staff or an admin (apps need "
        "write:commerce). `productId` narrows it to one of the merchant's products."
    )
    async def create_coupon(
        self,
        info: Info,
        merchant_id: strawberry.ID,
        code: str,
        kind: CouponKind,  # type: ignore[valid-type]
        amount: int,
        min_subtotal: int = 0,
        currency: str | None = None,
        product_id: strawberry.ID | None = None,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        max_uses: int | None = None,
        max_uses_per_user: int = 1,
        is_active: bool = True,
    ) -> CreateCouponPayload | None:
        row = await carts.create_coupon(
            info.context,
            merchant_id=decode_id(merchant_id, "Merchant", field="merchantId"),
            spec=carts.CouponSpec(
                code=code,
                kind=CouponKindModel(kind),
                amount=amount,
                currency=currency,
                min_subtotal=min_subtotal,
                product_id=(
                    decode_id(product_id, "Product", field="productId") if product_id else None
                ),
                starts_at=starts_at,
                ends_at=ends_at,
                max_uses=max_uses,
                max_uses_per_user=max_uses_per_user,
                is_active=is_active,
            ),
        )
        return CreateCouponSuccess(coupon=Coupon.from_model(row))

    @strawberry.mutation(description="Switch a coupon on or off (its merchant's managers).")
    async def set_coupon_active(
        self, info: Info, coupon_id: strawberry.ID, is_active: bool
    ) -> SetCouponActivePayload | None:
        row = await carts.set_coupon_active(
            info.context,
            coupon_id=decode_id(coupon_id, "Coupon", field="couponId"),
            is_active=is_active,
        )
        return SetCouponActiveSuccess(coupon=Coupon.from_model(row))
