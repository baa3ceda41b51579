"""The root Query and Mutation: each domain's roots merged, plus Relay's node and nodes."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.tools import merge_types

from resolvers.errors import InvalidInput
from schema import errors
from schema.accounts import AccountMutation, AccountQuery
from schema.apps import AppMutation, AppQuery
from schema.base import Info
from schema.carts import CartMutation, CartQuery
from schema.carts import errors as carts_errors
from schema.catalog import CatalogMutation, CatalogQuery
from schema.documents import DocumentMutation
from schema.nodes import resolve_global_ids
from schema.orders import OrderMutation, OrderQuery
from schema.orders import errors as orders_errors
from schema.reviews import ReviewMutation, ReviewQuery
from schema.reviews import errors as reviews_errors

MAX_NODES = 100


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global id, or null if it does not exist "
        "or you may not see it."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="A global id this API issued, e.g. a `Product.id`."),
        ],
    ) -> relay.Node | None:
        [found] = await resolve_global_ids(info, [id], "id")
        return found

    @strawberry.field(
        description=f"Objects by global id, in order (at most {MAX_NODES}); null "
        "for each that does not exist or you may not see."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description="Up to 100 global ids, of any mix of types; the results keep their "
                "order."
            ),
        ],
    ) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise InvalidInput("ids", f"Ask for at most {MAX_NODES} ids at once.")
        return list(await resolve_global_ids(info, ids, "ids"))


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
