"""How cart queries and mutations read their arguments: query ids and the cart token."""

from __future__ import annotations

import strawberry

from resolvers.errors import BadUserInput, InvalidInput
from schema.base import decode_id


def query_id(value: strawberry.ID, type_name: str, *, argument: str) -> int:
    """decode_id for query arguments: a bad id is BAD_USER_INPUT (queries have no unions)."""
    try:
        return decode_id(value, type_name, field=argument)
    except InvalidInput as exc:
        raise BadUserInput(exc.message, argument=argument) from None


_CART_TOKEN = strawberry.argument(
    description="Anonymous callers: the cart token from createCart. Signed-in callers omit it "
    "to use their own cart."
)
