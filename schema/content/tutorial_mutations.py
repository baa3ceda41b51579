"""The tutorial mutations: create, edit (steps and parts replaced wholesale), publish, archive,
delete."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.content import Difficulty as DifficultyModel
from resolvers import content
from schema.base import Info, decode_id
from schema.content.tutorial_payloads import (
    ArchiveTutorialPayload,
    ArchiveTutorialSuccess,
    CreateTutorialPayload,
    CreateTutorialSuccess,
    DeleteTutorialPayload,
    DeleteTutorialSuccess,
    PublishTutorialPayload,
    PublishTutorialSuccess,
    UpdateTutorialPayload,
    UpdateTutorialSuccess,
)
from schema.content.tutorials import Difficulty, Tutorial

TutorialId = Annotated[
    strawberry.ID, strawberry.argument(description="The tutorial (a Tutorial id); one you wrote.")
]


@strawberry.input(description="A product, optionally one of its variants.")
class ProductUseInput:
    product_id: strawberry.ID = strawberry.field(
        description="A Product id; the product must exist and be visible to you."
    )
    variant_id: strawberry.ID | None = strawberry.field(
        default=None, description="One of that product's variants (a Variant id), if it matters."
    )


@strawberry.input(description="One step of a tutorial.")
class TutorialStepInput:
    body: str = strawberry.field(
        description="What to do, in Markdown, 1-20,000 characters; rendered as `bodyHtml`."
    )
    title: str = strawberry.field(default="", description="A short heading, at most 150.")
    media_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Up to 10 READY media you uploaded (Media ids), shown in this order.",
    )
    products: list[ProductUseInput] = strawberry.field(
        default_factory=list, description="Up to 20 products used in this step."
    )


@strawberry.input(description="One line of a tutorial's parts list.")
class TutorialPartInput:
    product_id: strawberry.ID = strawberry.field(
        description="A Product id; the product must exist and be visible to you."
    )
    variant_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Which of its variants (a Variant id). Without one, a cart gets the "
        "product's only variant; a product with several cannot be added.",
    )
    quantity: int = strawberry.field(default=1, description="Units needed, 1-99.")
    note: str = strawberry.field(default="", description="A note shown with it, at most 200.")


def _id(value: strawberry.ID, type_name: str, field: str) -> int:
    return decode_id(value, type_name, field=field)


def _use(value: ProductUseInput, field: str) -> content.ProductRef:
    return content.ProductRef(
        _id(value.product_id, "Product", f"{field}.productId"),
        _id(value.variant_id, "Variant", f"{field}.variantId") if value.variant_id else None,
    )


def steps_of(values: list[TutorialStepInput]) -> list[content.StepSpec]:
    return [
        content.StepSpec(
            body=step.body,
            title=step.title,
            media_ids=[_id(m, "Media", f"steps.{n}.mediaIds") for m in step.media_ids],
            products=[_use(p, f"steps.{n}.products.{m}") for m, p in enumerate(step.products)],
        )
        for n, step in enumerate(values)
    ]


def parts_of(values: list[TutorialPartInput]) -> list[content.PartSpec]:
    return [
        content.PartSpec(
            product_id=_id(part.product_id, "Product", f"parts.{n}.productId"),
            variant_id=(
                _id(part.variant_id, "Variant", f"parts.{n}.variantId") if part.variant_id else None
            ),
            quantity=part.quantity,
            note=part.note,
        )
        for n, part in enumerate(values)
    ]


def _tutorial_id(value: strawberry.ID) -> int:
    return decode_id(value, "Tutorial", field="tutorialId")


@strawberry.type
class TutorialMutation:
    @strawberry.mutation(
        description="Write a tutorial, as a DRAFT only you (and admins) see. Any signed-in user "
        "may; apps need write:content."
    )
    async def create_tutorial(
        self,
        info: Info,
        title: Annotated[
            str, strawberry.argument(description="Plain text, one line, 1-150 characters.")
        ],
        duration_minutes: Annotated[
            int, strawberry.argument(description="How long it takes, 1-10080 minutes.")
        ],
        difficulty: Annotated[
            Difficulty,  # type: ignore[valid-type]
            strawberry.argument(description="EASY, MEDIUM or HARD."),
        ],
        summary: Annotated[
            str,
            strawberry.argument(description="Markdown, at most 5,000 characters."),
        ] = "",
        cover_media_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="A READY image you uploaded (a Media id)."),
        ] = None,
        steps: Annotated[
            list[TutorialStepInput] | None,
            strawberry.argument(description="Up to 50 steps, in order (publishing needs one)."),
        ] = None,
        parts: Annotated[
            list[TutorialPartInput] | None,
            strawberry.argument(description="The parts list, up to 50 lines, in order."),
        ] = None,
    ) -> CreateTutorialPayload | None:
        row = await content.create_tutorial(
            info.context,
            title=title,
            summary=summary,
            difficulty=DifficultyModel(difficulty),
            duration_minutes=duration_minutes,
            cover_media_id=(
                _id(cover_media_id, "Media", "coverMediaId") if cover_media_id else None
            ),
            steps=steps_of(steps or []),
            parts=parts_of(parts or []),
        )
        return CreateTutorialSuccess(tutorial=Tutorial.from_model(row))

    @strawberry.mutation(
        description="Edit your tutorial; omitted fields stay. `steps` or `parts`, when given, "
        "replace the old ones wholesale, in one transaction with the rest."
    )
    async def update_tutorial(
        self,
        info: Info,
        tutorial_id: TutorialId,
        title: Annotated[
            str | None, strawberry.argument(description="A new title, 1-150 characters.")
        ] = None,
        summary: Annotated[
            str | None, strawberry.argument(description="A new Markdown summary.")
        ] = None,
        difficulty: Annotated[
            Difficulty | None,  # type: ignore[valid-type]
            strawberry.argument(description="A new difficulty."),
        ] = None,
        duration_minutes: Annotated[
            int | None, strawberry.argument(description="A new duration, 1-10080 minutes.")
        ] = None,
        cover_media_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="A new cover (a Media id); null removes it."),
        ] = strawberry.UNSET,
        steps: Annotated[
            list[TutorialStepInput] | None,
            strawberry.argument(description="The new full list of steps, replacing the old."),
        ] = None,
        parts: Annotated[
            list[TutorialPartInput] | None,
            strawberry.argument(description="The new full parts list, replacing the old."),
        ] = None,
    ) -> UpdateTutorialPayload | None:
        set_cover = cover_media_id is not strawberry.UNSET
        changes = content.TutorialChanges(
            title=title,
            summary=summary,
            difficulty=DifficultyModel(difficulty) if difficulty is not None else None,
            duration_minutes=duration_minutes,
            set_cover=set_cover,
            cover_media_id=(
                _id(cover_media_id, "Media", "coverMediaId")
                if set_cover and cover_media_id is not None
                else None
            ),
            steps=steps_of(steps) if steps is not None else None,
            parts=parts_of(parts) if parts is not None else None,
        )
        row = await content.update_tutorial(
            info.context, tutorial_id=_tutorial_id(tutorial_id), changes=changes
        )
        return UpdateTutorialSuccess(tutorial=Tutorial.from_model(row))

    @strawberry.mutation(
        description="Publish your tutorial now (it needs a step); also brings an archived one "
        "back. Tutorials are not scheduled."
    )
    async def publish_tutorial(
        self, info: Info, tutorial_id: TutorialId
    ) -> PublishTutorialPayload | None:
        row = await content.publish_tutorial(info.context, tutorial_id=_tutorial_id(tutorial_id))
        return PublishTutorialSuccess(tutorial=Tutorial.from_model(row))

    @strawberry.mutation(
        description="Take your tutorial out of view; publish it again with `publishTutorial`."
    )
    async def archive_tutorial(
        self, info: Info, tutorial_id: TutorialId
    ) -> ArchiveTutorialPayload | None:
        row = await content.archive_tutorial(info.context, tutorial_id=_tutorial_id(tutorial_id))
        return ArchiveTutorialSuccess(tutorial=Tutorial.from_model(row))

    @strawberry.mutation(
        description="Delete a tutorial for good: its author, or a moderator or admin in person."
    )
    async def delete_tutorial(
        self,
        info: Info,
        tutorial_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The tutorial (a Tutorial id) to delete."),
        ],
    ) -> DeleteTutorialPayload | None:
        await content.delete_tutorial(info.context, tutorial_id=_tutorial_id(tutorial_id))
        return DeleteTutorialSuccess(deleted_tutorial_id=tutorial_id)
