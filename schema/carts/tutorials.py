"""addTutorialToCart: a tutorial's parts list into the cart, credited to the tutorial."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import carts, content
from schema.base import Info, decode_id
from schema.carts.arguments import CART_TOKEN
from schema.carts.types import Cart, CartLine
from schema.content import Tutorial, TutorialPart
from schema.content.tutorials import PartIssue
from schema.errors import NotFoundError, ValidationError


@strawberry.type(description="A part of the tutorial that did not go into the cart, and why.")
class SkippedPart:
    part: TutorialPart = strawberry.field(description="The part, as it is now.")
    reason: PartIssue = strawberry.field(  # type: ignore[valid-type]
        description="Why it was not added."
    )


@strawberry.type(
    description="The cart with every part that could be bought; the others are in `skipped`."
)
class AddTutorialToCartSuccess:
    cart: Cart = strawberry.field(description="The cart, priced now.")
    added: list[CartLine] = strawberry.field(
        description="The lines added or grown, in parts-list order, attributed to the tutorial."
    )
    skipped: list[SkippedPart] = strawberry.field(
        description="Parts not added (not for sale, no variant chosen among several, out of "
        "stock, …), in parts-list order."
    )
    tutorial: Tutorial = strawberry.field(description="The tutorial the parts came from.")


AddTutorialToCartPayload = Annotated[
    AddTutorialToCartSuccess | ValidationError | NotFoundError,
    strawberry.union(
        "AddTutorialToCartPayload",
        description="The cart with the tutorial's parts, or why nothing could be added.",
    ),
]


@strawberry.type
class TutorialCartMutation:
    @strawberry.mutation(
        description="Put every part of a tutorial that can be bought into your cart (or the "
        "anonymous cart of `cartToken`, as addCartLine), credited to the tutorial (source "
        "TUTORIAL) and its author. Parts that cannot be bought are skipped and reported."
    )
    async def add_tutorial_to_cart(
        self,
        info: Info,
        tutorial_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The tutorial (a Tutorial id) whose parts to add."),
        ],
        quantity: Annotated[
            int,
            strawberry.argument(
                description="A multiplier, 1-10: each part's quantity times this (two sets "
                "of everything: 2)."
            ),
        ] = 1,
        cart_token: Annotated[str | None, CART_TOKEN] = None,
    ) -> AddTutorialToCartPayload | None:
        done = await carts.add_tutorial_to_cart(
            info.context,
            tutorial_id=decode_id(tutorial_id, "Tutorial", field="tutorialId"),
            cart_token=cart_token,
            multiplier=quantity,
        )
        cart = await Cart.build(info, done.cart)
        lines = {line.row.id: line for line in cart.lines}
        # Each skipped part as the caller sees it now (product, variant, availability).
        checks = await content.check_parts_now(info.context, [part for part, _ in done.skipped])
        return AddTutorialToCartSuccess(
            cart=cart,
            added=[lines[line_id] for line_id in done.added_line_ids if line_id in lines],
            skipped=[
                SkippedPart(part=TutorialPart.from_check(part, check), reason=reason)
                for (part, reason), check in zip(done.skipped, checks, strict=True)
            ],
            tutorial=Tutorial.from_model(done.tutorial),
        )
