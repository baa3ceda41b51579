"""The root Query and Mutation: each domain's roots merged, plus Relay's node and nodes."""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry
from strawberry import relay
from strawberry.tools import merge_types

from resolvers.errors import InvalidInput
from schema import errors
from schema.accounts import AccountMutation, AccountQuery, User
from schema.apps import App, AppMutation, AppQuery, AppToken
from schema.base import Info
from schema.carts import Cart, CartLine, CartMutation, CartQuery, Coupon
from schema.carts import errors as carts_errors
from schema.catalog import CatalogMutation, CatalogQuery, Category, Merchant, Product, Variant
from schema.documents import DocumentMutation
from schema.orders import Order, OrderLine, OrderMutation, OrderQuery
from schema.orders import errors as orders_errors
from schema.reviews import Review, ReviewMutation, ReviewQuery
from schema.reviews import errors as reviews_errors

MAX_NODES = 100
NODE_TYPES: dict[str, Any] = {
    cls.__name__: cls
    for cls in (
        *(User, App, AppToken, Merchant, Category, Product, Variant, Review),
        *(Cart, CartLine, Coupon, Order, OrderLine),
    )
}


def _parse_global_id(value: str) -> tuple[Any, str]:
    try:
        global_id = relay.GlobalID.from_id(value)
        node_type = NODE_TYPES[global_id.type_name]
        int(global_id.node_id)
    except (ValueError, KeyError):
        raise InvalidInput("id", f"{value!r} is not an id this API issued.") from None
    return node_type, global_id.node_id


async def _resolve_node(info: Info, node_type: Any, node_id: str) -> relay.Node | None:
    found = await node_type.resolve_nodes(info=info, node_ids=[node_id], required=False)
    return next(iter(found))  # type: ignore[no-any-return]


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global id, or null if it does not exist "
        "or you may not see it."
    )
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        node_type, node_id = _parse_global_id(id)
        return await _resolve_node(info, node_type, node_id)

    @strawberry.field(
        description=f"Objects by global id, in order (at most {MAX_NODES}); null "
        "for each that does not exist or you may not see."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise InvalidInput("ids", f"Ask for at most {MAX_NODES} ids at once.")
        parsed = [_parse_global_id(value) for value in ids]
        return list(await asyncio.gather(*(_resolve_node(info, t, i) for t, i in parsed)))


# Every domain's exception-to-typed-error mappings (schema/<domain>/errors.py).
ERROR_MAPPINGS = [
    *errors.ERROR_MAPPINGS,
    *carts_errors.ERROR_MAPPINGS,
    *orders_errors.ERROR_MAPPINGS,
    *reviews_errors.ERROR_MAPPINGS,
]

Query = merge_types(
    "Query", (NodeQuery, AccountQuery, AppQuery, CatalogQuery, ReviewQuery, CartQuery, OrderQuery)
)
Mutation = merge_types(
    "Mutation",
    (
        *(AccountMutation, AppMutation, CatalogMutation, ReviewMutation, CartMutation),
        *(OrderMutation, DocumentMutation),
    ),
)
