"""The cart root query fields: the viewer's or the token's cart, a merchant's coupons."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import carts
from resolvers.pagination import paginate_list
from schema.base import Info, decode_id
from schema.carts.arguments import CART_TOKEN
from schema.carts.types import Cart, Coupon
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection


@strawberry.type
class CartQuery:
    @strawberry.field(
        description="The cart of `cartToken`, or else the viewer's open cart; null if none. "
        "Apps need read:commerce."
    )
    async def cart(
        self, info: Info, cart_token: Annotated[str | None, CART_TOKEN] = None
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
        merchant_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The merchant (a Merchant id) whose coupons to list."),
        ],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Coupon]:
        rows = await carts.merchant_coupons(
            info.context, merchant_id=decode_id(merchant_id, "Merchant", field="merchantId")
        )
        return to_connection(
            paginate_list(rows, page_args(first, after, last, before)), Coupon.from_model
        )
