"""The cart mutations: creating a cart, its lines, its coupon, and merchants' coupons."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models.carts import CouponKind as CouponKindModel
from resolvers import carts
from schema.base import Info, decode_id
from schema.carts.arguments import CART_TOKEN
from schema.carts.attribution import AttributionInput, attribution_from_input
from schema.carts.payloads import (
    AddCartLinePayload,
    AddCartLineSuccess,
    ApplyCouponPayload,
    ApplyCouponSuccess,
    CreateCartPayload,
    CreateCartSuccess,
    CreateCouponPayload,
    CreateCouponSuccess,
    RemoveCartLinePayload,
    RemoveCartLineSuccess,
    RemoveCouponPayload,
    RemoveCouponSuccess,
    SetCouponActivePayload,
    SetCouponActiveSuccess,
    UpdateCartLinePayload,
    UpdateCartLineSuccess,
)
from schema.carts.types import Cart, Coupon, CouponKind


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
        variant_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The variant to buy (a Variant id)."),
        ],
        quantity: Annotated[
            int,
            strawberry.argument(description="Units to add, 1-999 (a line holds at most 999)."),
        ] = 1,
        attribution: Annotated[
            AttributionInput | None,
            strawberry.argument(
                description="Where the buyer came from, credited on the order line."
            ),
        ] = None,
        cart_token: Annotated[str | None, CART_TOKEN] = None,
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
        line_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The line to change (a CartLine id)."),
        ],
        quantity: Annotated[
            int,
            strawberry.argument(description="The line's new quantity, 0-999; 0 removes the line."),
        ],
        attribution: Annotated[
            AttributionInput | None,
            strawberry.argument(
                description="A new source for the line, replacing its attribution; omit to keep it."
            ),
        ] = None,
        cart_token: Annotated[str | None, CART_TOKEN] = None,
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
        line_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The line to remove (a CartLine id)."),
        ],
        cart_token: Annotated[str | None, CART_TOKEN] = None,
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
        self,
        info: Info,
        code: Annotated[
            str,
            strawberry.argument(description="The coupon code, in any case, e.g. `spend50`."),
        ],
        cart_token: Annotated[str | None, CART_TOKEN] = None,
    ) -> ApplyCouponPayload | None:
        row = await carts.apply_coupon(info.context, cart_token=cart_token, code=code)
        return ApplyCouponSuccess(cart=await Cart.build(info, row))

    @strawberry.mutation(description="Take the coupon off the cart.")
    async def remove_coupon(
        self, info: Info, cart_token: Annotated[str | None, CART_TOKEN] = None
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
        merchant_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The merchant whose lines the coupon discounts (a Merchant id)."
            ),
        ],
        code: Annotated[
            str,
            strawberry.argument(
                description="3-40 letters, digits, '-' or '_', starting with a letter or digit; "
                "customers type it in any case."
            ),
        ],
        kind: Annotated[
            CouponKind,  # type: ignore[valid-type]
            strawberry.argument(
                description="How `amount` is taken off: FIXED, PERCENT or THRESHOLD."
            ),
        ],
        amount: Annotated[
            int,
            strawberry.argument(
                description="Minor units off (FIXED, THRESHOLD) or percent off, 1-100 (PERCENT)."
            ),
        ],
        min_subtotal: Annotated[
            int,
            strawberry.argument(
                description="The merchant's lines must add up to at least this (minor units) "
                "before the coupon applies; THRESHOLD needs it above 0."
            ),
        ] = 0,
        currency: Annotated[
            str | None,
            strawberry.argument(
                description="The ISO-4217 currency of the amounts; the merchant's if omitted."
            ),
        ] = None,
        product_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only this product's lines count and get the discount (a Product id of "
                "this merchant)."
            ),
        ] = None,
        starts_at: Annotated[
            datetime | None,
            strawberry.argument(
                description="Not valid before this time; valid at once if omitted."
            ),
        ] = None,
        ends_at: Annotated[
            datetime | None,
            strawberry.argument(
                description="Not valid from this time on; never expires if omitted."
            ),
        ] = None,
        max_uses: Annotated[
            int | None,
            strawberry.argument(
                description="Uses in all, at least 1; unlimited if omitted. Cancelled or refunded "
                "orders give theirs back."
            ),
        ] = None,
        max_uses_per_user: Annotated[
            int,
            strawberry.argument(description="Uses per buyer, at least 1."),
        ] = 1,
        is_active: Annotated[
            bool,
            strawberry.argument(description="False creates it switched off (see setCouponActive)."),
        ] = True,
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
        self,
        info: Info,
        coupon_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The coupon to switch (a Coupon id)."),
        ],
        is_active: Annotated[
            bool,
            strawberry.argument(
                description="True lets it apply; false stops it applying to carts at once."
            ),
        ],
    ) -> SetCouponActivePayload | None:
        row = await carts.set_coupon_active(
            info.context,
            coupon_id=decode_id(coupon_id, "Coupon", field="couponId"),
            is_active=is_active,
        )
        return SetCouponActiveSuccess(coupon=Coupon.from_model(row))
