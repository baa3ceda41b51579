"""Creating a cart and changing its lines, re-checking product status, stock and currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise.transactions import in_transaction

from models.carts import Cart, CartLine
from models.catalog import Product, ProductStatus, Variant
from resolvers.auth import require_scope
from resolvers.carts.access import open_cart_of, reloaded_cart, writable_cart
from resolvers.carts.attribution import Attribution, check_attribution
from resolvers.carts.errors import InsufficientStock, ProductUnavailable
from resolvers.errors import InvalidInput, NotFound
from resolvers.principal import Scope
from resolvers.ratelimit import consume
from resolvers.tokens import TokenKind, hash_token, new_token

if TYPE_CHECKING:
    from resolvers.context import Context

MAX_QUANTITY = 999
MAX_LINES = 100


@dataclass(frozen=True, slots=True)
class CreatedCart:
    cart: Cart
    cart_token: str | None


async def create_cart(ctx: Context) -> CreatedCart:
    """Anonymous: a new cart and its token. Signed in: the user's open cart (no token)."""
    user = ctx.principal.user
    if user is not None:
        require_scope(ctx, Scope.WRITE_ORDERS)
        cart = await open_cart_of(user.id) or await Cart.create(user_id=user.id)
        return CreatedCart(cart=cart, cart_token=None)
    await consume(
        ctx,
        "anonymous-cart",
        ctx.client_network,
        limit=ctx.settings.anonymous_carts_per_hour,
        window_seconds=3600,
        message="Too many new carts from this address. Try again later, or sign in.",
    )
    token = new_token(TokenKind.CART)
    cart = await Cart.create(token_hash=hash_token(token))
    return CreatedCart(cart=cart, cart_token=token)


def _check_quantity(quantity: int, *, minimum: int = 1) -> int:
    if not minimum <= quantity <= MAX_QUANTITY:
        raise InvalidInput("quantity", f"A quantity is {minimum}-{MAX_QUANTITY}.")
    return quantity


async def _sellable(variant_id: int) -> tuple[Variant, Product]:
    variant = await Variant.filter(id=variant_id).first()
    if variant is None:
        raise NotFound("Variant")
    product = await Product.get(id=variant.product_id)
    if product.status is not ProductStatus.ACTIVE:
        raise ProductUnavailable(variant.id)
    return variant, product


class CartRefusal(StrEnum):
    """Why a locked cart cannot take units of a variant (addCartLine raises; addTutorialToCart
    skips the part)."""

    CURRENCY = "currency"
    FULL = "full"
    LINE_LIMIT = "line_limit"
    STOCK = "stock"


class LockedCart:
    """An open cart locked for one transaction (SELECT … FOR UPDATE), with its lines.

    Concurrent additions to one cart wait here for each other, so each sees the lines the
    other wrote: a line never grows past its variant's stock or MAX_QUANTITY.
    """

    def __init__(self, cart: Cart, lines: list[CartLine]) -> None:
        self.cart, self.lines, self.currency = cart, lines, cart.currency

    @classmethod
    async def lock(cls, cart_id: int) -> LockedCart:
        cart = await Cart.select_for_update().get(id=cart_id)
        return cls(cart, list(await CartLine.filter(cart_id=cart_id).order_by("id")))

    def refusal(self, variant: Variant, product: Product, quantity: int) -> CartRefusal | None:
        existing = self._line_of(variant)
        others = [line for line in self.lines if line.variant_id != variant.id]
        if others and self.currency != product.currency:
            return CartRefusal.CURRENCY
        if existing is None and len(self.lines) >= MAX_LINES:
            return CartRefusal.FULL
        wanted = (existing.quantity if existing else 0) + quantity
        if wanted > MAX_QUANTITY:
            return CartRefusal.LINE_LIMIT
        if wanted > variant.stock:
            return CartRefusal.STOCK
        return None

    def _line_of(self, variant: Variant) -> CartLine | None:
        return next((line for line in self.lines if line.variant_id == variant.id), None)

    async def add(
        self, variant: Variant, product: Product, quantity: int, attributed: Attribution | None
    ) -> CartLine:
        """Add units (a line of that variant grows); check `refusal` first."""
        existing = self._line_of(variant)
        wanted = (existing.quantity if existing else 0) + quantity
        if existing is None:
            columns = attributed.columns() if attributed else {}
            line = await CartLine.create(
                cart_id=self.cart.id, variant_id=variant.id, quantity=wanted, **columns
            )
            self.lines.append(line)
        else:
            changes: dict[str, Any] = {"quantity": wanted}
            if attributed is not None:  # last touch wins
                changes.update(attributed.columns())
            await CartLine.filter(id=existing.id).update(**changes)
            line = existing
            line.update_from_dict(changes)
        self.currency = product.currency
        return line

    async def touch(self) -> None:
        await Cart.filter(id=self.cart.id).update(
            currency=self.currency, updated_at=datetime.now(UTC)
        )


async def add_line(
    ctx: Context,
    *,
    cart_token: str | None,
    variant_id: int,
    quantity: int,
    attribution: Attribution | None,
) -> Cart:
    """Add units of a variant; an existing line of that variant grows instead."""
    cart = await writable_cart(ctx, cart_token, create=True)
    _check_quantity(quantity)
    variant, product = await _sellable(variant_id)
    attributed = await check_attribution(ctx, attribution)
    async with in_transaction():
        locked = await LockedCart.lock(cart.id)
        refusal = locked.refusal(variant, product, quantity)
        if refusal is CartRefusal.CURRENCY:
            raise InvalidInput(
                "variantId",
                f"This cart is in {locked.currency}; this product is priced in "
                f"{product.currency}. Check out first, or remove the other items.",
            )
        if refusal is CartRefusal.FULL:
            raise InvalidInput("variantId", f"A cart holds at most {MAX_LINES} different items.")
        if refusal is CartRefusal.LINE_LIMIT:
            raise InvalidInput("quantity", f"A line holds at most {MAX_QUANTITY} units.")
        if refusal is CartRefusal.STOCK:
            raise InsufficientStock(variant.id, variant.stock)
        await locked.add(variant, product, quantity, attributed)
        await locked.touch()
    return await reloaded_cart(ctx, cart)


async def _own_line(cart: Cart, line_id: int) -> CartLine:
    line = await CartLine.filter(id=line_id, cart_id=cart.id).first()
    if line is None:
        raise NotFound("CartLine")
    return line


async def update_line(
    ctx: Context,
    *,
    cart_token: str | None,
    line_id: int,
    quantity: int,
    attribution: Attribution | None,
) -> Cart:
    """Set a line's quantity (0 removes it), re-checking product status and stock."""
    cart = await writable_cart(ctx, cart_token, create=False)
    line = await _own_line(cart, line_id)
    _check_quantity(quantity, minimum=0)
    if quantity == 0:
        await CartLine.filter(id=line.id).delete()
    else:
        variant, _ = await _sellable(line.variant_id)
        if quantity > variant.stock:
            raise InsufficientStock(variant.id, variant.stock)
        attributed = await check_attribution(ctx, attribution)
        changes: dict[str, Any] = {"quantity": quantity}
        if attributed is not None:
            changes.update(attributed.columns())
        await CartLine.filter(id=line.id).update(**changes)
    await Cart.filter(id=cart.id).update(updated_at=datetime.now(UTC))
    return await reloaded_cart(ctx, cart)


async def remove_line(ctx: Context, *, cart_token: str | None, line_id: int) -> Cart:
    cart = await writable_cart(ctx, cart_token, create=False)
    line = await _own_line(cart, line_id)
    await CartLine.filter(id=line.id).delete()
    await Cart.filter(id=cart.id).update(updated_at=datetime.now(UTC))
    return await reloaded_cart(ctx, cart)
