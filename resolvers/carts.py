"""Carts of signed-in users and anonymous visitors, their lines, coupons and pricing.

A signed-in user has one open cart, created on first use. An anonymous visitor creates a cart
and gets a cart token (`agc_…`, shown once; only its SHA-256 is stored) to pass with every cart
call; signing in with that token merges the anonymous cart into the user's cart.

Carts hold no prices: every read and every change prices the lines at the variants' current
prices and checks them against current stock and product status. A cart has one currency, the
first line's. A coupon on a cart is re-validated on every pricing and again at checkout.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import Role, User
from models.attribution import Attributed, SourceType
from models.carts import Cart, CartLine, CartStatus, Coupon, CouponKind
from models.catalog import Product, ProductStatus, Variant
from models.orders import CouponRedemption, OrderStatus
from resolvers.auth import require_scope, require_user
from resolvers.catalog import is_merchant_manager, managed_merchant
from resolvers.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from resolvers.loading import forget
from resolvers.principal import Scope
from resolvers.tokens import TokenKind, hash_token, new_token, parse_token

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)

MAX_QUANTITY = 999
MAX_LINES = 100
MAX_AMOUNT = 10**12
COUPON_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,39}$")
SHARE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
# Orders in these states give their coupon use back.
RELEASED_STATUSES = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


# ---- errors -----------------------------------------------------------------------------------


class InsufficientStock(DomainError):
    def __init__(self, variant_id: int, available: int) -> None:
        super().__init__(
            f"Only {available} left of this item." if available > 0 else "This item is sold out."
        )
        self.variant_id = variant_id
        self.available = max(available, 0)


class ProductUnavailable(DomainError):
    def __init__(self, variant_id: int) -> None:
        super().__init__("This product is not for sale at the moment.")
        self.variant_id = variant_id


class CouponRejection(StrEnum):
    UNKNOWN = "unknown"
    INACTIVE = "inactive"
    NOT_STARTED = "not_started"
    EXPIRED = "expired"
    USED_UP = "used_up"
    USER_LIMIT = "user_limit"
    CURRENCY = "currency"
    NOT_ELIGIBLE = "not_eligible"
    MINIMUM_NOT_MET = "minimum_not_met"


COUPON_MESSAGES = {
    CouponRejection.UNKNOWN: "There is no coupon with this code.",
    CouponRejection.INACTIVE: "This coupon is no longer active.",
    CouponRejection.NOT_STARTED: "This coupon is not valid yet.",
    CouponRejection.EXPIRED: "This coupon has expired.",
    CouponRejection.USED_UP: "This coupon has been used up.",
    CouponRejection.USER_LIMIT: "You have already used this coupon as often as allowed.",
    CouponRejection.CURRENCY: "This coupon is for another currency than the cart's.",
    CouponRejection.NOT_ELIGIBLE: "Nothing in the cart is eligible for this coupon.",
    CouponRejection.MINIMUM_NOT_MET: "The eligible items do not reach this coupon's minimum.",
}


class CouponNotApplicable(DomainError):
    def __init__(self, reason: CouponRejection) -> None:
        super().__init__(COUPON_MESSAGES[reason])
        self.reason = reason


# ---- attribution ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where a line came from: a post, a tutorial, a creator, a share-link code."""

    source_type: SourceType | None = None
    source_id: int | None = None
    creator_id: int | None = None
    share_code: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.source_type is None and self.creator_id is None and self.share_code is None

    def columns(self) -> dict[str, Any]:
        return {
            "source_type": self.source_type,
            "source_id": self.source_id,
            "creator_id": self.creator_id,
            "share_code": self.share_code,
        }

    @classmethod
    def of(cls, row: Attributed) -> Attribution:
        return cls(
            source_type=row.source_type,
            source_id=row.source_id,
            creator_id=row.creator_id,
            share_code=row.share_code,
        )


async def check_attribution(attribution: Attribution | None) -> Attribution | None:
    if attribution is None or (attribution.is_empty and attribution.source_id is None):
        return None
    source_type, source_id = attribution.source_type, attribution.source_id
    creator_id, share_code = attribution.creator_id, attribution.share_code
    if source_type is SourceType.CREATOR:
        creator_id = creator_id if creator_id is not None else source_id
        source_id = source_id if source_id is not None else creator_id
        if creator_id is None or creator_id != source_id:
            raise InvalidInput("attribution.creatorId", "A CREATOR source names the creator.")
    elif source_type in (SourceType.POST, SourceType.TUTORIAL) and source_id is None:
        raise InvalidInput("attribution.sourceId", "A POST or TUTORIAL source needs its id.")
    elif source_type is None and source_id is not None:
        raise InvalidInput("attribution.sourceType", "Say what kind of source `sourceId` is.")
    if share_code is not None:
        share_code = share_code.strip()
        if not SHARE_CODE.match(share_code):
            raise InvalidInput(
                "attribution.shareCode", "A share code is 1-40 letters, digits, '-' or '_'."
            )
    elif source_type is SourceType.SHARE_LINK:
        raise InvalidInput("attribution.shareCode", "A SHARE_LINK source needs its share code.")
    if creator_id is not None and not await User.filter(id=creator_id).exists():
        raise InvalidInput("attribution.creatorId", "There is no such creator.")
    return Attribution(source_type, source_id, creator_id, share_code)


# ---- pricing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineItem:
    """A variant and quantity to price, with the cart line it comes from (if any)."""

    variant: Variant
    product: Product
    quantity: int
    line: CartLine | None = None

    @property
    def subtotal(self) -> int:
        return int(self.variant.price) * self.quantity

    @property
    def available(self) -> bool:
        return self.product.status is ProductStatus.ACTIVE and self.variant.stock >= self.quantity


@dataclass(frozen=True, slots=True)
class PricedLine:
    item: LineItem
    unit_price: int
    subtotal: int
    discount: int

    @property
    def total(self) -> int:
        return self.subtotal - self.discount


@dataclass(frozen=True, slots=True)
class Pricing:
    currency: str
    lines: list[PricedLine]
    subtotal: int
    discount: int
    coupon: Coupon | None
    coupon_issue: CouponRejection | None

    @property
    def total(self) -> int:
        return self.subtotal - self.discount


def coupon_window_issue(coupon: Coupon, now: datetime) -> CouponRejection | None:
    """What stops the coupon whatever the cart holds: switched off, outside its window, used up."""
    if not coupon.is_active:
        return CouponRejection.INACTIVE
    if coupon.starts_at is not None and now < coupon.starts_at:
        return CouponRejection.NOT_STARTED
    if coupon.ends_at is not None and now >= coupon.ends_at:
        return CouponRejection.EXPIRED
    if coupon.max_uses is not None and coupon.uses >= coupon.max_uses:
        return CouponRejection.USED_UP
    return None


def is_eligible(coupon: Coupon, product: Product) -> bool:
    """Product-scoped coupons count that product's lines; merchant-scoped ones the merchant's."""
    if coupon.product_id is not None:
        return bool(product.id == coupon.product_id)
    if coupon.merchant_id is not None:
        return product.merchant_id == coupon.merchant_id
    return True


def split_discount(discount: int, amounts: Sequence[int]) -> list[int]:
    """Split `discount` over `amounts` in proportion, in whole minor units, summing exactly.

    Each share is floored; the units left over go to the lines with the largest remainders,
    later lines first on ties (so a lone leftover unit lands on the last line). No share ever
    exceeds its amount, since `discount` never exceeds their sum.
    """
    total = sum(amounts)
    if total <= 0 or discount <= 0:
        return [0] * len(amounts)
    discount = min(discount, total)
    shares = [discount * amount // total for amount in amounts]
    remainders = [discount * amount % total for amount in amounts]
    leftover = discount - sum(shares)
    order = sorted(range(len(amounts)), key=lambda i: (remainders[i], i), reverse=True)
    for index in order[:leftover]:
        shares[index] += 1
    return shares


def price(
    items: Sequence[LineItem], coupon: Coupon | None, *, currency: str, now: datetime
) -> Pricing:
    """Current prices, and the coupon's discount split over its eligible lines."""
    subtotals = [item.subtotal for item in items]
    discounts = [0] * len(items)
    issue = None
    if coupon is not None:
        eligible = [i for i, item in enumerate(items) if is_eligible(coupon, item.product)]
        eligible_subtotal = sum(subtotals[i] for i in eligible)
        issue = coupon_window_issue(coupon, now)
        if issue is None and coupon.kind is not CouponKind.PERCENT and coupon.currency != currency:
            issue = CouponRejection.CURRENCY
        if issue is None and eligible_subtotal <= 0:
            issue = CouponRejection.NOT_ELIGIBLE
        if issue is None and eligible_subtotal < coupon.min_subtotal:
            issue = CouponRejection.MINIMUM_NOT_MET
        if issue is None:
            if coupon.kind is CouponKind.PERCENT:
                amount = eligible_subtotal * min(coupon.amount, 100) // 100
            else:
                amount = coupon.amount
            shares = split_discount(
                min(amount, eligible_subtotal), [subtotals[i] for i in eligible]
            )
            for index, share in zip(eligible, shares, strict=True):
                discounts[index] = share
    lines = [
        PricedLine(item=item, unit_price=item.variant.price, subtotal=subtotal, discount=discount)
        for item, subtotal, discount in zip(items, subtotals, discounts, strict=True)
    ]
    return Pricing(
        currency=currency,
        lines=lines,
        subtotal=sum(subtotals),
        discount=sum(discounts),
        coupon=coupon,
        coupon_issue=issue,
    )


async def price_cart(ctx: Context, cart: Cart) -> Pricing:
    """The cart priced now, through the request's loaders (for reading)."""
    loaders = ctx.loaders
    lines = await loaders.lines_by_cart.load(cart.id)
    variants = await loaders.variant_by_id.load_many([line.variant_id for line in lines])
    present = [(line, v) for line, v in zip(lines, variants, strict=True) if v is not None]
    products = await loaders.product_by_id.load_many([v.product_id for _, v in present])
    coupon = await loaders.coupon_by_id.load(cart.coupon_id) if cart.coupon_id else None
    items = [
        LineItem(variant=v, product=p, quantity=line.quantity, line=line)
        for (line, v), p in zip(present, products, strict=True)
        if p is not None
    ]
    return price(items, coupon, currency=cart.currency, now=datetime.now(UTC))


async def cart_items(cart: Cart) -> list[LineItem]:
    """The cart's lines with their variants and products, read fresh (for writes)."""
    lines = await CartLine.filter(cart_id=cart.id).order_by("id")
    variants = {v.id: v for v in await Variant.filter(id__in=[ln.variant_id for ln in lines])}
    product_ids = {v.product_id for v in variants.values()}
    products = {p.id: p for p in await Product.filter(id__in=product_ids)}
    return [
        LineItem(
            variant=variants[line.variant_id],
            product=products[variants[line.variant_id].product_id],
            quantity=line.quantity,
            line=line,
        )
        for line in lines
        if line.variant_id in variants
    ]


async def redemptions_by(coupon_id: int, user_id: int) -> int:
    """How often the user has used the coupon, on orders that were not cancelled or refunded."""
    return (
        await CouponRedemption.filter(coupon_id=coupon_id, user_id=user_id)
        .exclude(order__status__in=RELEASED_STATUSES)
        .count()
    )


# ---- finding carts ----------------------------------------------------------------------------


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


async def visible_cart(ctx: Context, cart_id: int) -> Cart | None:
    """For node(id): a signed-in user's cart, to that user (apps: read:commerce) or an admin."""
    user = ctx.principal.user
    if user is None or Scope.READ_COMMERCE not in ctx.principal.scopes:
        return None
    cart = await ctx.loaders.cart_by_id.load(cart_id)
    if cart is None or cart.user_id is None:
        return None
    if cart.user_id != user.id and user.role is not Role.ADMIN:
        return None
    return cart


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
    forget(ctx.loaders.cart_by_id, cart.id)
    forget(ctx.loaders.lines_by_cart, cart.id)


async def _reloaded(ctx: Context, cart: Cart) -> Cart:
    _forget_cart(ctx, cart)
    return await Cart.get(id=cart.id)


# ---- cart mutations ---------------------------------------------------------------------------


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
    attributed = await check_attribution(attribution)
    async with in_transaction():
        locked = await Cart.select_for_update().get(id=cart.id)
        lines = await CartLine.filter(cart_id=cart.id)
        existing = next((line for line in lines if line.variant_id == variant.id), None)
        others = [line for line in lines if line.variant_id != variant.id]
        if others and locked.currency != product.currency:
            raise InvalidInput(
                "variantId",
                f"This cart is in {locked.currency}; this product is priced in "
                f"{product.currency}. Check out first, or remove the other items.",
            )
        if existing is None and len(lines) >= MAX_LINES:
            raise InvalidInput("variantId", f"A cart holds at most {MAX_LINES} different items.")
        wanted = (existing.quantity if existing else 0) + quantity
        if wanted > MAX_QUANTITY:
            raise InvalidInput("quantity", f"A line holds at most {MAX_QUANTITY} units.")
        if wanted > variant.stock:
            raise InsufficientStock(variant.id, variant.stock)
        if existing is None:
            columns = attributed.columns() if attributed else {}
            await CartLine.create(
                cart_id=cart.id, variant_id=variant.id, quantity=wanted, **columns
            )
        else:
            changes: dict[str, Any] = {"quantity": wanted}
            if attributed is not None:  # last touch wins
                changes.update(attributed.columns())
            await CartLine.filter(id=existing.id).update(**changes)
        await Cart.filter(id=cart.id).update(
            currency=product.currency, updated_at=datetime.now(UTC)
        )
    return await _reloaded(ctx, cart)


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
        attributed = await check_attribution(attribution)
        changes: dict[str, Any] = {"quantity": quantity}
        if attributed is not None:
            changes.update(attributed.columns())
        await CartLine.filter(id=line.id).update(**changes)
    await Cart.filter(id=cart.id).update(updated_at=datetime.now(UTC))
    return await _reloaded(ctx, cart)


async def remove_line(ctx: Context, *, cart_token: str | None, line_id: int) -> Cart:
    cart = await writable_cart(ctx, cart_token, create=False)
    line = await _own_line(cart, line_id)
    await CartLine.filter(id=line.id).delete()
    await Cart.filter(id=cart.id).update(updated_at=datetime.now(UTC))
    return await _reloaded(ctx, cart)


def normalize_code(code: str) -> str:
    return code.strip().upper()


async def check_coupon_for(cart: Cart, coupon: Coupon, user_id: int | None) -> Pricing:
    """Price the cart with the coupon; CouponNotApplicable when it does not apply."""
    pricing = price(await cart_items(cart), coupon, currency=cart.currency, now=datetime.now(UTC))
    if pricing.coupon_issue is not None:
        raise CouponNotApplicable(pricing.coupon_issue)
    if user_id is not None and await redemptions_by(coupon.id, user_id) >= coupon.max_uses_per_user:
        raise CouponNotApplicable(CouponRejection.USER_LIMIT)
    return pricing


async def apply_coupon(ctx: Context, *, cart_token: str | None, code: str) -> Cart:
    """Put a coupon on the cart; it must apply to what the cart holds now."""
    cart = await writable_cart(ctx, cart_token, create=False)
    coupon = await Coupon.filter(code=normalize_code(code)).first()
    if coupon is None:
        raise CouponNotApplicable(CouponRejection.UNKNOWN)
    await check_coupon_for(cart, coupon, cart.user_id)
    await Cart.filter(id=cart.id).update(coupon_id=coupon.id, updated_at=datetime.now(UTC))
    return await _reloaded(ctx, cart)


async def remove_coupon(ctx: Context, *, cart_token: str | None) -> Cart:
    cart = await writable_cart(ctx, cart_token, create=False)
    await Cart.filter(id=cart.id).update(coupon_id=None, updated_at=datetime.now(UTC))
    return await _reloaded(ctx, cart)


# ---- merging at sign-in -----------------------------------------------------------------------


async def merge_anonymous_cart(user: User, cart_token: str) -> Cart | None:
    """Fold an anonymous cart into the user's open cart; None when the token finds no open cart.

    Quantities add up, capped at current stock (never lowering what the user already had);
    an anonymous line's attribution is kept when the user's line of that variant has none;
    the anonymous cart's coupon moves over when the user's cart has none. Lines in another
    currency than a non-empty user cart are left behind. The anonymous cart becomes MERGED.
    """
    parsed = parse_token(cart_token.strip())
    if parsed is None or parsed.kind is not TokenKind.CART:
        return None
    async with in_transaction():
        anonymous = (
            await Cart.select_for_update()
            .filter(token_hash=parsed.digest, user_id=None, status=CartStatus.OPEN)
            .first()
        )
        if anonymous is None:
            return None
        target = await open_cart_of(user.id) or await Cart.create(user_id=user.id)
        await Cart.select_for_update().filter(id=target.id).first()
        incoming = await CartLine.filter(cart_id=anonymous.id).order_by("id")
        mine = {line.variant_id: line for line in await CartLine.filter(cart_id=target.id)}
        changes: dict[str, Any] = {"updated_at": datetime.now(UTC)}
        if incoming and (not mine or target.currency == anonymous.currency):
            changes["currency"] = anonymous.currency
            variants = {
                v.id: v for v in await Variant.filter(id__in=[ln.variant_id for ln in incoming])
            }
            for line in incoming:
                stock = variants[line.variant_id].stock
                own = mine.get(line.variant_id)
                if own is not None:
                    update: dict[str, Any] = {
                        "quantity": max(own.quantity, min(own.quantity + line.quantity, stock))
                    }
                    if Attribution.of(own).is_empty:
                        update.update(Attribution.of(line).columns())
                    await CartLine.filter(id=own.id).update(**update)
                elif min(line.quantity, stock) >= 1 and len(mine) < MAX_LINES:
                    mine[line.variant_id] = await CartLine.create(
                        cart_id=target.id,
                        variant_id=line.variant_id,
                        quantity=min(line.quantity, stock),
                        **Attribution.of(line).columns(),
                    )
        elif incoming:
            log.info("cart %s not merged into %s: other currency", anonymous.id, target.id)
        if target.coupon_id is None and anonymous.coupon_id is not None:
            changes["coupon_id"] = anonymous.coupon_id
        await Cart.filter(id=target.id).update(**changes)
        await Cart.filter(id=anonymous.id).update(
            status=CartStatus.MERGED, updated_at=datetime.now(UTC)
        )
    return await Cart.get(id=target.id)


# ---- coupons (merchants) ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CouponSpec:
    code: str
    kind: CouponKind
    amount: int
    currency: str | None = None
    min_subtotal: int = 0
    product_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    max_uses: int | None = None
    max_uses_per_user: int = 1
    is_active: bool = True


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def create_coupon(ctx: Context, *, merchant_id: int, spec: CouponSpec) -> Coupon:
    """A coupon of the merchant's (owner, staff or admin; apps need write:commerce)."""
    merchant = await managed_merchant(ctx, merchant_id)
    code = normalize_code(spec.code)
    if not COUPON_CODE.match(code):
        raise InvalidInput(
            "code", "A code is 3-40 letters, digits, '-' or '_', starting with a letter or digit."
        )
    if spec.kind is CouponKind.PERCENT:
        if not 1 <= spec.amount <= 100:
            raise InvalidInput("amount", "A percent coupon takes 1-100 percent off.")
    elif not 1 <= spec.amount <= MAX_AMOUNT:
        raise InvalidInput("amount", "The amount off is a positive number of minor units.")
    if not 0 <= spec.min_subtotal <= MAX_AMOUNT:
        raise InvalidInput("minSubtotal", "A minimum is zero or more minor units.")
    if spec.kind is CouponKind.THRESHOLD and spec.min_subtotal < 1:
        raise InvalidInput("minSubtotal", "A spend-X-save-Y coupon needs the X (minSubtotal).")
    currency = (spec.currency or merchant.currency).strip().upper()
    if not CURRENCY.match(currency):
        raise InvalidInput("currency", "A currency is an ISO-4217 code such as USD.")
    starts_at, ends_at = _utc(spec.starts_at), _utc(spec.ends_at)
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise InvalidInput("endsAt", "A coupon must end after it starts.")
    if spec.max_uses is not None and spec.max_uses < 1:
        raise InvalidInput("maxUses", "Allow at least one use, or leave maxUses out.")
    if spec.max_uses_per_user < 1:
        raise InvalidInput("maxUsesPerUser", "Allow each user at least one use.")
    if spec.product_id is not None:
        product = await ctx.loaders.product_by_id.load(spec.product_id)
        if product is None or product.merchant_id != merchant.id:
            raise InvalidInput("productId", "The product must be one of this merchant's.")
    try:
        return await Coupon.create(
            code=code,
            kind=spec.kind,
            amount=spec.amount,
            currency=currency,
            min_subtotal=spec.min_subtotal,
            merchant_id=merchant.id,
            product_id=spec.product_id,
            starts_at=starts_at,
            ends_at=ends_at,
            max_uses=spec.max_uses,
            max_uses_per_user=spec.max_uses_per_user,
            is_active=spec.is_active,
        )
    except IntegrityError:
        raise Conflict("That coupon code is taken.", field="code") from None


async def managed_coupon(ctx: Context, coupon_id: int) -> Coupon:
    """The coupon if the caller manages its merchant (the catalog's rule: owner, staff, admin;
    apps need write:commerce). Platform-wide coupons are admins' only."""
    user = require_scope(ctx, Scope.WRITE_COMMERCE) if ctx.principal.is_app else require_user(ctx)
    coupon = await ctx.loaders.coupon_by_id.load(coupon_id)
    if coupon is None:
        raise NotFound("Coupon")
    if coupon.merchant_id is not None:
        await managed_merchant(ctx, coupon.merchant_id)
    elif user.role is not Role.ADMIN:
        raise PermissionDenied("Only admins manage platform-wide coupons.")
    return coupon


async def set_coupon_active(ctx: Context, *, coupon_id: int, is_active: bool) -> Coupon:
    coupon = await managed_coupon(ctx, coupon_id)
    await Coupon.filter(id=coupon.id).update(is_active=is_active, updated_at=datetime.now(UTC))
    forget(ctx.loaders.coupon_by_id, coupon.id)
    return await Coupon.get(id=coupon.id)


async def visible_coupon(ctx: Context, coupon_id: int) -> Coupon | None:
    """For node(id): managers of the coupon's merchant and admins."""
    user = ctx.principal.user
    if user is None or Scope.READ_COMMERCE not in ctx.principal.scopes:
        return None
    coupon = await ctx.loaders.coupon_by_id.load(coupon_id)
    if coupon is None:
        return None
    if user.role is Role.ADMIN:
        return coupon
    if coupon.merchant_id is None:
        return None
    merchant = await ctx.loaders.merchant_by_id.load(coupon.merchant_id)
    if merchant is None or not await is_merchant_manager(user, merchant):
        return None
    return coupon


async def merchant_coupons(ctx: Context, *, merchant_id: int) -> list[Coupon]:
    """Every coupon of a merchant, newest first, for its managers (apps: read:commerce)."""
    user = require_scope(ctx, Scope.READ_COMMERCE)
    merchant = await ctx.loaders.merchant_by_id.load(merchant_id)
    if merchant is None or not await is_merchant_manager(user, merchant):
        raise Forbidden("Only this merchant's owner, staff or an admin can see its coupons.")
    return await Coupon.filter(merchant_id=merchant_id).order_by("-id")
