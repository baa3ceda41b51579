"""addTutorialToCart: every part of a tutorial that can be bought, into the cart, in one go.

It lives with carts rather than content because carts already depend on content (attribution
checks posts and tutorials); content importing carts would close the circle.

The cart is found exactly as addCartLine finds it, and the parts go in through the same
`LockedCart`: the cart row is locked once, products and variants are read inside that
transaction, and each part is checked against the stock as it is then, plus what the cart
already holds. Parts that cannot be bought are skipped and reported, never an error.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from models.attribution import SourceType
from models.carts import Cart
from models.catalog import Product, Variant
from models.content import Tutorial, TutorialPart
from resolvers import content
from resolvers.carts.access import reloaded_cart, writable_cart
from resolvers.carts.attribution import Attribution, check_attribution
from resolvers.carts.lines import CartRefusal, LockedCart
from resolvers.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from resolvers.context import Context

MAX_MULTIPLIER = 10


def _issue_of(refusal: CartRefusal) -> content.PartIssue:
    # A function, not a module-level table: resolvers.content may still be loading when this
    # module is imported (content -> catalog -> accounts -> carts -> content).
    return {
        CartRefusal.CURRENCY: content.PartIssue.CURRENCY_MISMATCH,
        CartRefusal.FULL: content.PartIssue.CART_FULL,
        CartRefusal.LINE_LIMIT: content.PartIssue.LINE_LIMIT,
        CartRefusal.STOCK: content.PartIssue.INSUFFICIENT_STOCK,
    }[refusal]


@dataclass(frozen=True, slots=True)
class TutorialInCart:
    cart: Cart
    tutorial: Tutorial
    added_line_ids: list[int]  # the lines added or grown, in parts-list order
    skipped: list[tuple[TutorialPart, content.PartIssue]]


async def add_tutorial_to_cart(
    ctx: Context, *, tutorial_id: int, cart_token: str | None, multiplier: int
) -> TutorialInCart:
    """Each part's quantity times `multiplier`, credited to the tutorial and its author."""
    cart = await writable_cart(ctx, cart_token, create=True)
    if not 1 <= multiplier <= MAX_MULTIPLIER:
        raise InvalidInput("quantity", f"The multiplier is 1-{MAX_MULTIPLIER}.")
    [tutorial] = await content.visible_tutorials(ctx, [tutorial_id])
    if tutorial is None:
        raise NotFound("Tutorial")
    attributed = await check_attribution(ctx, Attribution(SourceType.TUTORIAL, tutorial.id))
    parts = await TutorialPart.filter(tutorial_id=tutorial.id).order_by("position")
    added: list[int] = []
    skipped: list[tuple[TutorialPart, content.PartIssue]] = []
    async with in_transaction():
        locked = await LockedCart.lock(cart.id)
        products, variants = await _catalog_rows(parts)
        for part in parts:
            units = part.quantity * multiplier
            product = products.get(part.product_id)
            check = content.judge(part, product, variants[part.product_id], units)
            issue = check.issue
            if issue is None and check.variant is not None and product is not None:
                refusal = locked.refusal(check.variant, product, units)
                issue = _issue_of(refusal) if refusal is not None else None
            if issue is not None or check.variant is None or product is None:
                skipped.append((part, issue or content.PartIssue.PRODUCT_MISSING))
                continue
            line = await locked.add(check.variant, product, units, attributed)
            added.append(line.id)
        if added:
            await locked.touch()
    return TutorialInCart(await reloaded_cart(ctx, cart), tutorial, added, skipped)


async def _catalog_rows(
    parts: list[TutorialPart],
) -> tuple[dict[int, Product], defaultdict[int, list[Variant]]]:
    """The parts' products and their variants as they are now, inside the transaction."""
    ids = list({part.product_id for part in parts})
    products = {row.id: row for row in await Product.filter(id__in=ids)}
    variants: defaultdict[int, list[Variant]] = defaultdict(list)
    for row in await Variant.filter(product_id__in=ids).order_by("position", "id"):
        variants[row.product_id].append(row)
    return products, variants
