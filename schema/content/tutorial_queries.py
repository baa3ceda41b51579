"""The tutorial root query fields: a tutorial, the tutorial listing; and User.tutorials."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.content import Difficulty as DifficultyModel
from models.content import TutorialStatus as TutorialStatusModel
from resolvers import content
from resolvers.errors import InvalidInput
from schema.base import Info, decode_id
from schema.content.tutorials import Difficulty, Tutorial, TutorialSort, TutorialStatus
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection


@strawberry.input(description="Narrow a tutorial listing; all given conditions must hold.")
class TutorialFilter:
    author_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this author's tutorials (a User id)."
    )
    status: TutorialStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=TutorialStatusModel.PUBLISHED,
        description="Tutorials in this status; null means PUBLISHED. Other statuses list only "
        "your own tutorials (admins: everyone's).",
    )
    difficulty: Difficulty | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only tutorials of this difficulty."
    )
    product_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only tutorials whose parts list or steps use this product (a Product id).",
    )


async def user_tutorials(
    user_id: int,
    info: Info,
    *,
    status: TutorialStatusModel | None,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Tutorial]:
    """For User.tutorials: published ones for others, every status for the user and admins."""
    page = await content.user_tutorials(
        info.context,
        author_id=user_id,
        status=status,
        args=page_args(first, after, last, before),
    )
    return to_connection(page, Tutorial.from_model)


@strawberry.type
class TutorialQuery:
    @strawberry.field(
        description="A tutorial by id or slug; null if missing or not visible to you."
    )
    async def tutorial(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The tutorial's global id. Give this or `slug`."),
        ] = None,
        slug: Annotated[
            str | None,
            strawberry.argument(
                description="The tutorial's slug, e.g. `gongfu-tea-at-home`. Give this or `id`."
            ),
        ] = None,
    ) -> Tutorial | None:
        if id is not None:
            return await Tutorial.load_one(info, decode_id(id, "Tutorial", field="id"))
        if slug is None:
            raise InvalidInput("id", "Give the tutorial's `id` or its `slug`.")
        row = await content.tutorial_with_slug(info.context, slug)
        return Tutorial.from_model(row) if row else None

    @strawberry.field(
        description="Tutorials you may see, filtered and sorted; by default every published "
        "tutorial, newest first. Paged by cursor."
    )
    async def tutorials(
        self,
        info: Info,
        filter: Annotated[
            TutorialFilter | None,
            strawberry.argument(description="Conditions every listed tutorial meets."),
        ] = None,
        sort: Annotated[
            TutorialSort | None,
            strawberry.argument(description="The order of the listing; null means NEWEST."),
        ] = TutorialSort.NEWEST,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Tutorial]:
        where = filter or TutorialFilter()
        page = await content.list_tutorials(
            info.context,
            author_id=(
                decode_id(where.author_id, "User", field="filter.authorId")
                if where.author_id is not None
                else None
            ),
            status=TutorialStatusModel(where.status or TutorialStatusModel.PUBLISHED),
            difficulty=(
                DifficultyModel(where.difficulty) if where.difficulty is not None else None
            ),
            product_id=(
                decode_id(where.product_id, "Product", field="filter.productId")
                if where.product_id is not None
                else None
            ),
            order=(sort or TutorialSort.NEWEST).order,
            args=page_args(first, after, last, before),
        )
        return to_connection(page, Tutorial.from_model)
