"""The order root query fields: the viewer's and a merchant's orders, an order, attribution."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.attribution import SourceType as AttributionSourceModel
from models.orders import RefundStatus as RefundStatusModel
from resolvers import orders
from schema.base import Info, decode_id
from schema.carts import AttributionSource, source_id_of
from schema.orders.types import AttributionReport, Order, OrderStatus, RefundStatus
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection


@strawberry.type
class OrderQuery:
    @strawberry.field(description="The viewer's own orders, newest first. Apps need read:orders.")
    async def orders(
        self,
        info: Info,
        status: Annotated[
            OrderStatus | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only orders in this status; omit for all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Order]:
        page = await orders.buyer_orders(
            info.context, status=status, args=page_args(first, after, last, before)
        )
        return to_connection(page, lambda row: Order.from_model(row, None))

    @strawberry.field(
        description="Admins: orders by refund status, newest first. FAILED (the default) are "
        "refunds the provider kept refusing: settle them by hand or retry them."
    )
    async def refunds(
        self,
        info: Info,
        status: Annotated[
            RefundStatus | None,  # type: ignore[valid-type]
            strawberry.argument(description="Which refunds to list; null means FAILED."),
        ] = RefundStatusModel.FAILED,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Order]:
        page = await orders.refunds_by_status(
            info.context,
            status=status or RefundStatusModel.FAILED,
            args=page_args(first, after, last, before),
        )
        return to_connection(page, lambda row: Order.from_model(row, None))

    @strawberry.field(
        description="Orders with lines of a merchant, newest first, each showing only that "
        "merchant's lines: for its owner, staff and admins (apps: read:orders)."
    )
    async def merchant_orders(
        self,
        info: Info,
        merchant_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The merchant (a Merchant id, e.g. from `viewer { merchants { id } }`) "
                "whose orders to list."
            ),
        ],
        status: Annotated[
            OrderStatus | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only orders in this status; omit for all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Order]:
        merchant = decode_id(merchant_id, "Merchant", field="merchantId")
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
    async def order(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The order's global id (an Order id)."),
        ],
    ) -> Order | None:
        return await Order.load_one(info, decode_id(id, "Order", field="id"))

    @strawberry.field(
        description="Orders, units and GMV attributed to a creator: for the creator and admins "
        "(apps: read:analytics). Counts paid, not refunded orders."
    )
    async def creator_attribution(
        self,
        info: Info,
        creator_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The creator (a User id) whose sales to total; yours unless you are an "
                "admin."
            ),
        ],
    ) -> AttributionReport:
        totals = await orders.creator_attribution(
            info.context, creator_id=decode_id(creator_id, "User", field="creatorId")
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
        source_type: Annotated[
            AttributionSource,  # type: ignore[valid-type]
            strawberry.argument(
                description="The kind of source: POST, TUTORIAL, CREATOR or SHARE_LINK."
            ),
        ],
        source_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The post, tutorial or creator (a global id, or the number); not for "
                "SHARE_LINK."
            ),
        ] = None,
        share_code: Annotated[
            str | None,
            strawberry.argument(description="The share link's code; for SHARE_LINK only."),
        ] = None,
    ) -> AttributionReport:
        number = source_id_of(source_id, source_type)
        totals = await orders.content_attribution(
            info.context, source_type=source_type, source_id=number, share_code=share_code
        )
        post_id = number if source_type is AttributionSourceModel.POST else None
        tutorial_id = number if source_type is AttributionSourceModel.TUTORIAL else None
        return AttributionReport.from_totals(totals, post_id, tutorial_id)
