"""The cart token argument, shared by cart queries and mutations."""

from __future__ import annotations

import strawberry

CART_TOKEN = strawberry.argument(
    description="Anonymous callers: the cart token from createCart. Signed-in callers omit it "
    "to use their own cart."
)
