"""Which cart a call reads or changes: the cart token's, or the signed-in user's own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from models.accounts import Role
from models.carts import Cart, CartLine, CartStatus
from resolvers.auth import require_scope
from resolvers.carts.loaders import cart_by_id, cart_line_by_id, lines_by_cart
from resolvers.errors import InvalidInput, NotFound, Unauthenticated
from resolvers.loading import forget
from resolvers.principal import Scope
from resolvers.tokens import TokenKind, parse_token

if TYPE_CHECKING:
    from resolvers.context import Context


async def open_cart_of(user_id: int) -> Cart | None:
    return await Cart.filter(user_id=user_id, status=CartStatus.OPEN).order_by("id").first()


async def cart_by_token(cart_token: str) -> Cart | None:
    parsed = parse_token(cart_token.strip())
    if parsed is None or parsed.kind is not TokenKind.CART:
        return None
    return await Cart.filter(token_hash=parsed.digest, user_id=None).first()


async def viewer_cart(ctx: Context, *, cart_token: str | None) -> Cart | None:
    """The `cart` query: the cart of this token, or the viewer's open cart (never created)."""
    if ctx.principal.user is not None:
        require_scope(ctx, Scope.READ_COMMERCE)
    if cart_token is not None:
        return await cart_by_token(cart_token)
    if ctx.principal.user is None:
        return None
    return await open_cart_of(ctx.principal.user.id)


async def visible_carts(ctx: Context, ids: Sequence[int]) -> list[Cart | None]:
    """For node(id): a signed-in user's carts, to that user (apps: read:commerce) or an admin.
    Anonymous carts are reached only through their cart token, never by id."""
    user = ctx.principal.user
    if user is None or Scope.READ_COMMERCE not in ctx.principal.scopes:
        return [None] * len(ids)
    rows = await ctx.loaders[cart_by_id].load_many(ids)
    return [
        row
        if row is not None
        and row.user_id is not None
        and (row.user_id == user.id or user.role is Role.ADMIN)
        else None
        for row in rows
    ]


async def visible_cart_lines(ctx: Context, ids: Sequence[int]) -> list[CartLine | None]:
    """Lines of the carts the caller may see."""
    rows = await ctx.loaders[cart_line_by_id].load_many(ids)
    carts = await visible_carts(ctx, [row.cart_id for row in rows if row is not None])
    seen = {cart.id for cart in carts if cart is not None}
    return [row if row is not None and row.cart_id in seen else None for row in rows]


async def writable_cart(ctx: Context, cart_token: str | None, *, create: bool) -> Cart:
    """The open cart a mutation changes: the token's, or the signed-in user's own."""
    user = ctx.principal.user
    if user is not None:
        require_scope(ctx, Scope.WRITE_ORDERS)
    if cart_token is not None:
        cart = await cart_by_token(cart_token)
        if cart is None:
            raise NotFound("Cart", "No cart has this cart token.")
    elif user is None:
        raise Unauthenticated("Sign in, or pass the cartToken of an anonymous cart.")
    else:
        cart = await open_cart_of(user.id)
        if cart is None:
            if not create:
                raise NotFound("Cart", "You have no open cart.")
            cart = await Cart.create(user_id=user.id)
    if cart.status is CartStatus.MERGED:
        raise InvalidInput("cartToken", "This cart was merged into an account's cart at sign-in.")
    if cart.status is not CartStatus.OPEN:
        raise InvalidInput("cartToken", "This cart has been checked out.")
    return cart


def _forget_cart(ctx: Context, cart: Cart) -> None:
    forget(ctx.loaders[cart_by_id], cart.id)
    forget(ctx.loaders[lines_by_cart], cart.id)


async def reloaded_cart(ctx: Context, cart: Cart) -> Cart:
    _forget_cart(ctx, cart)
    return await Cart.get(id=cart.id)
