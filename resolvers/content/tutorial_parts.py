"""Whether a tutorial's part can be bought now, and which variant it would be.

One pure rule (`judge`) over product and variant rows, used both to show `Part.available` (rows
from the request's loaders) and by addTutorialToCart (rows read fresh inside its transaction).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from models.catalog import Product, ProductStatus, Variant
from models.content import TutorialPart, TutorialStep
from resolvers.catalog import visible_products
from resolvers.catalog.loaders import variants_by_product
from resolvers.content.loaders import parts_by_tutorial, steps_by_tutorial

if TYPE_CHECKING:
    from resolvers.context import Context


class PartIssue(StrEnum):
    PRODUCT_MISSING = "product_missing"  # deleted, or a draft you may not see
    PRODUCT_UNAVAILABLE = "product_unavailable"  # not ACTIVE (a draft or archived)
    VARIANT_MISSING = "variant_missing"  # the chosen variant is gone
    VARIANT_REQUIRED = "variant_required"  # no variant chosen and the product has several
    OUT_OF_STOCK = "out_of_stock"
    INSUFFICIENT_STOCK = "insufficient_stock"  # fewer units than the part (times the multiplier)
    # Only when adding to a cart:
    CURRENCY_MISMATCH = "currency_mismatch"  # the cart is in another currency
    CART_FULL = "cart_full"  # the cart has as many different items as it may hold
    LINE_LIMIT = "line_limit"  # the line would exceed the most units a line holds


@dataclass(frozen=True, slots=True)
class PartCheck:
    product: Product | None  # as the caller may see it
    variant: Variant | None  # the variant that would go into a cart
    issue: PartIssue | None  # why it cannot, if it cannot

    @property
    def available(self) -> bool:
        return self.issue is None


def judge(
    part: TutorialPart, product: Product | None, variants: Sequence[Variant], units: int
) -> PartCheck:
    """Can `units` of this part be bought? `variants` are the product's, in display order."""
    if product is None:
        return PartCheck(None, None, PartIssue.PRODUCT_MISSING)
    if product.status is not ProductStatus.ACTIVE:
        return PartCheck(product, None, PartIssue.PRODUCT_UNAVAILABLE)
    if part.variant_id is not None:
        variant = next((v for v in variants if v.id == part.variant_id), None)
        if variant is None:
            return PartCheck(product, None, PartIssue.VARIANT_MISSING)
    elif len(variants) == 1:
        variant = variants[0]  # the product's only variant is the part's
    elif not variants:
        return PartCheck(product, None, PartIssue.PRODUCT_UNAVAILABLE)
    else:
        return PartCheck(product, None, PartIssue.VARIANT_REQUIRED)
    if variant.stock <= 0:
        return PartCheck(product, variant, PartIssue.OUT_OF_STOCK)
    if variant.stock < units:
        return PartCheck(product, variant, PartIssue.INSUFFICIENT_STOCK)
    return PartCheck(product, variant, None)


async def check_parts_now(ctx: Context, parts: Sequence[TutorialPart]) -> list[PartCheck]:
    """Each part as the caller would find it now (products they may see, current stock); one
    batched load per kind of row for a whole page of tutorials."""
    products = await visible_products(ctx, [part.product_id for part in parts])
    variants = await ctx.loaders[variants_by_product].load_many([part.product_id for part in parts])
    return [
        judge(part, product, found, part.quantity)
        for part, product, found in zip(parts, products, variants, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class TutorialContents:
    steps: list[TutorialStep]
    parts: list[TutorialPart]
    checks: list[PartCheck]  # one per part


async def tutorial_contents(ctx: Context, tutorial_id: int) -> TutorialContents:
    """A tutorial's steps, parts and their checks, with every product its steps name loaded
    too (Step.products then reads the loaders' caches).

    Steps and parts are awaited together, and products with variants, so that every tutorial
    of a page reaches each load in the same turn of the event loop: one statement per kind of
    row, whatever the page size or the length of the parts list.
    """
    steps, parts = await asyncio.gather(
        ctx.loaders[steps_by_tutorial].load(tutorial_id),
        ctx.loaders[parts_by_tutorial].load(tutorial_id),
    )
    used = [int(ref["product"] or 0) for step in steps for ref in step.products]
    ids = [*(part.product_id for part in parts), *used]
    products, variants = await asyncio.gather(
        visible_products(ctx, ids), ctx.loaders[variants_by_product].load_many(ids)
    )
    checks = [
        judge(part, product, found, part.quantity)
        for part, product, found in zip(parts, products, variants, strict=False)
    ]
    return TutorialContents(steps, parts, checks)
