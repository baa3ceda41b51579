"""The tutorial object types and enums: Tutorial, its steps and parts list, statuses, sorts."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.content import Difficulty as DifficultyModel
from models.content import Post as PostModel
from models.content import Tutorial as TutorialModel
from models.content import TutorialPart as TutorialPartModel
from models.content import TutorialStatus as TutorialStatusModel
from models.content import TutorialStep as TutorialStepModel
from resolvers import content
from schema.accounts import User
from schema.base import Info, decode_id, describe_values
from schema.catalog import Product, Variant
from schema.content.tags import ProductTag, tag_list
from schema.content.types import Content, Post
from schema.media import Media, media_list
from schema.nodes import VisibleNode, build_each
from schema.pagination import After, Before, Connection, First, Last

if TYPE_CHECKING:
    from schema.comments import Comment, CommentSort

TutorialStatus = strawberry.enum(
    TutorialStatusModel,
    name="TutorialStatus",
    description="Where a tutorial is in its life. Only PUBLISHED tutorials are seen by "
    "everyone; the others only by their author and admins. Tutorials are not scheduled.",
)
describe_values(
    TutorialStatus,
    {
        "DRAFT": "Being written; only its author and admins see it.",
        "PUBLISHED": "Out: everyone sees it.",
        "ARCHIVED": "Taken down by its author; only its author and admins see it.",
    },
)
Difficulty = strawberry.enum(
    DifficultyModel, name="Difficulty", description="How hard a tutorial is to follow."
)
describe_values(
    Difficulty,
    {
        "EASY": "Anyone can follow it.",
        "MEDIUM": "Some practice helps.",
        "HARD": "For the experienced.",
    },
)
PartIssue = strawberry.enum(
    content.PartIssue,
    name="TutorialPartIssue",
    description="Why a part of a tutorial cannot be bought now (or was not added to a cart).",
)
describe_values(
    PartIssue,
    {
        "PRODUCT_MISSING": "The product is gone, or you may not see it.",
        "PRODUCT_UNAVAILABLE": "The product is not for sale (a draft, archived, no variants).",
        "VARIANT_MISSING": "The chosen variant no longer exists.",
        "VARIANT_REQUIRED": "No variant was chosen and the product has several: pick one on the "
        "product page.",
        "OUT_OF_STOCK": "The variant has no units left.",
        "INSUFFICIENT_STOCK": "Fewer units are left than the part needs (with what your cart "
        "holds already).",
        "CURRENCY_MISMATCH": "Your cart is in another currency.",
        "CART_FULL": "Your cart holds as many different items as it may.",
        "LINE_LIMIT": "The cart line would hold more units than a line may (999).",
    },
)


@strawberry.enum(description="How to order tutorials; ties go to the newest.")
class TutorialSort(Enum):
    NEWEST = "newest"
    OLDEST = "oldest"

    @property
    def order(self) -> content.TutorialOrder:
        return content.TutorialOrder(self.value)


describe_values(
    TutorialSort,
    {"NEWEST": "Most recently created first.", "OLDEST": "Earliest created first."},
)


@strawberry.type(description="A product a step uses, optionally one of its variants.")
class TutorialProductUse:
    product_id: strawberry.Private[int]
    variant_id: strawberry.Private[int | None]

    @strawberry.field(description="The product; null if it is gone or you may not see it.")
    async def product(self, info: Info) -> Product | None:
        return await Product.load_one(info, self.product_id)

    @strawberry.field(description="The variant meant, if one was chosen and you may see it.")
    async def variant(self, info: Info) -> Variant | None:
        return None if self.variant_id is None else await Variant.load_one(info, self.variant_id)


@strawberry.type(description="One step of a tutorial.")
class TutorialStep:
    position: int = strawberry.field(description="Its place in the tutorial, from 0.")
    title: str = strawberry.field(description="A short heading; may be empty.")
    body: str = strawberry.field(description="The Markdown the author wrote.")
    body_html: str = strawberry.field(
        description="`body` rendered and sanitised, as `Post.bodyHtml`."
    )
    row: strawberry.Private[TutorialStepModel]

    @classmethod
    def from_model(cls, row: TutorialStepModel) -> Self:
        return cls(
            position=row.position,
            title=row.title,
            body=row.body,
            body_html=row.body_html,
            row=row,
        )

    @strawberry.field(description="Its images and videos (READY media), in order.")
    async def media(self, info: Info) -> list[Media]:
        return await media_list(info, list(self.row.media_ids))

    @strawberry.field(
        description="The shoppable tags on its media, in media order, each item's in its own "
        "order; live price and stock through `product`. A media item shown in two steps has "
        "the same tags in both. Set them with `setMediaTags(targetId: <the tutorial>)`."
    )
    async def tags(
        self,
        info: Info,
        media_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only the tags on this media item (a Media id)."),
        ] = None,
    ) -> list[ProductTag]:
        rows = await content.step_tags(info.context, self.row)
        if media_id is not None:
            wanted = decode_id(media_id, "Media", field="mediaId")
            rows = [row for row in rows if row.media_id == wanted]
        return tag_list(rows)

    @strawberry.field(description="The products used in this step, in order.")
    def products(self) -> list[TutorialProductUse]:
        return [
            TutorialProductUse(product_id=int(ref["product"] or 0), variant_id=ref.get("variant"))
            for ref in self.row.products
        ]


@strawberry.type(
    description="One line of a tutorial's parts list: a product (a variant of it), how many, "
    "and whether it can be bought now at its live price and stock."
)
class TutorialPart:
    position: int = strawberry.field(description="Its place in the list, from 0.")
    quantity: int = strawberry.field(description="Units the tutorial needs, 1-99.")
    note: str = strawberry.field(description="The author's note, e.g. `any small pot works`.")
    available: bool = strawberry.field(
        description="Whether `quantity` units can be bought now (addTutorialToCart adds it)."
    )
    unavailable_reason: PartIssue | None = strawberry.field(  # type: ignore[valid-type]
        description="Why not, when `available` is false."
    )
    row: strawberry.Private[TutorialPartModel]
    check: strawberry.Private[content.PartCheck]

    @classmethod
    def from_check(cls, row: TutorialPartModel, check: content.PartCheck) -> Self:
        return cls(
            position=row.position,
            quantity=row.quantity,
            note=row.note,
            available=check.available,
            unavailable_reason=check.issue,
            row=row,
            check=check,
        )

    @strawberry.field(
        description="The product, with its live price and stock; null if it is gone or you "
        "may not see it."
    )
    def product(self) -> Product | None:
        found = self.check.product
        return Product.from_model(found) if found is not None else None

    @strawberry.field(
        description="The variant that goes into a cart: the one chosen, or the product's only "
        "one; null when there is none to take."
    )
    def variant(self) -> Variant | None:
        product, variant = self.check.product, self.check.variant
        return Variant.from_model(variant, product.currency) if variant and product else None


@strawberry.type(
    description="A tutorial: ordered steps and a parts list of products that can go into a cart "
    "in one go (`addTutorialToCart`). Drafts and archived tutorials are seen only by their "
    "author and admins."
)
class Tutorial(Content, VisibleNode):
    id: relay.NodeID[int]
    slug: str = strawberry.field(
        description="Unique, made from the title when the tutorial is created; it never changes."
    )
    title: str = strawberry.field(description="Plain text, one line, at most 150 characters.")
    summary: str = strawberry.field(description="The Markdown summary the author wrote.")
    summary_html: str = strawberry.field(
        description="`summary` rendered and sanitised, as `Post.bodyHtml`."
    )
    difficulty: Difficulty = strawberry.field(  # type: ignore[valid-type]
        description="EASY, MEDIUM or HARD."
    )
    duration_minutes: int = strawberry.field(description="How long it takes, 1-10080 minutes.")
    status: TutorialStatus = strawberry.field(  # type: ignore[valid-type]
        description="DRAFT, PUBLISHED or ARCHIVED."
    )
    step_count: int = strawberry.field(description="How many steps it has.")
    published_at: datetime | None = strawberry.field(
        description="When it was (last) published; null if never."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    row: strawberry.Private[TutorialModel]

    @classmethod
    def from_model(cls, row: TutorialModel) -> Self:
        return cls(
            id=row.id,
            slug=row.slug,
            title=row.title,
            summary=row.summary,
            summary_html=row.summary_html,
            difficulty=row.difficulty,
            duration_minutes=row.duration_minutes,
            status=row.status,
            step_count=row.step_count,
            published_at=row.published_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await content.visible_tutorials(info.context, ids), cls.from_model)

    @strawberry.field(description="Who wrote it; null if that account is deactivated.")
    async def author(self, info: Info) -> User | None:
        return await User.related(info, self.row.author_id)

    @strawberry.field(
        description="Every product it uses, each once: its parts list first, then its steps' "
        "products, then the products tagged on its steps' media. Products you may not see "
        "(archived, back to draft) are left out."
    )
    async def products(self, info: Info) -> list[Product]:
        ids = content.tagged_product_ids(await content.tutorial_refs(info.context, self.row))
        return [found for found in await Product.load_visible(info, ids) if found is not None]

    @strawberry.field(
        description="True when a product it uses (parts, steps or tags) is archived, back to "
        "draft (not on sale), or out of stock: no variant in stock, or none of the variant "
        "named. The same for everyone; `parts` tells which part and why."
    )
    async def has_unavailable_products(self, info: Info) -> bool:
        return await content.any_unavailable(
            info.context, await content.tutorial_refs(info.context, self.row)
        )

    @strawberry.field(description="The cover image, if any (a READY media of the author's).")
    async def cover(self, info: Info) -> Media | None:
        if self.row.cover_media_id is None:
            return None
        found = await media_list(info, [self.row.cover_media_id])
        return found[0] if found else None

    @strawberry.field(description="Its steps, in order.")
    async def steps(self, info: Info) -> list[TutorialStep]:
        found = await content.tutorial_contents(info.context, self.row.id)
        return [TutorialStep.from_model(row) for row in found.steps]

    @strawberry.field(
        description="Its parts list, in order, each with its product's live price and stock."
    )
    async def parts(self, info: Info) -> list[TutorialPart]:
        found = await content.tutorial_contents(info.context, self.row.id)
        return [
            TutorialPart.from_check(row, check)
            for row, check in zip(found.parts, found.checks, strict=True)
        ]

    @strawberry.field(
        description="How many comments it has, replies included and deleted ones not; exact."
    )
    async def comment_count(self, info: Info) -> int:
        from schema.comments import fields  # it imports this module

        return await fields.count(info, fields.TUTORIAL, self.row.id)

    @strawberry.field(
        description="Its top-level comments, newest first unless `sort` says OLDEST; each "
        "carries its `replies`."
    )
    async def comments(
        self,
        info: Info,
        sort: Annotated[
            Annotated[CommentSort, strawberry.lazy("schema.comments")] | None,  # type: ignore[valid-type]
            strawberry.argument(description="The order; null means NEWEST."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Comment, strawberry.lazy("schema.comments")]]:
        from schema.comments import fields

        paging = (first, after, last, before)
        return await fields.thread(info, fields.TUTORIAL, self.row.id, sort, paging)

    # ---- reactions (schema/reactions/fields.py): likes and saves ----

    @strawberry.field(description="How many users like this tutorial; exact.")
    async def like_count(self, info: Info) -> int:
        from schema.reactions import fields  # it imports this module

        return await fields.count(info, fields.TUTORIAL, self.row.id, fields.LIKE)

    @strawberry.field(description="How many users saved this tutorial; exact.")
    async def save_count(self, info: Info) -> int:
        from schema.reactions import fields

        return await fields.count(info, fields.TUTORIAL, self.row.id, fields.SAVE)

    @strawberry.field(description="Whether you like this tutorial; false when signed out.")
    async def viewer_has_liked(self, info: Info) -> bool:
        from schema.reactions import fields

        return await fields.viewer_has(info, fields.TUTORIAL, self.row.id, fields.LIKE)

    @strawberry.field(description="Whether you saved this tutorial; false when signed out.")
    async def viewer_has_saved(self, info: Info) -> bool:
        from schema.reactions import fields

        return await fields.viewer_has(info, fields.TUTORIAL, self.row.id, fields.SAVE)


def content_node(row: PostModel | TutorialModel) -> Content:
    """A Post or Tutorial row as its GraphQL type (for lists mixing both: `mentionedIn`)."""
    if isinstance(row, TutorialModel):
        return Tutorial.from_model(row)
    return Post.from_model(row)
