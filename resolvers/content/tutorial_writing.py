"""Writing tutorials: create, edit (steps and parts replaced wholesale), publish, archive, delete.

Who may author: every signed-in user, as for posts (apps: write:content). Only the author
changes a tutorial; deleting is also open to admins (and moderators, for tutorials they can
see), in person. Tutorials are not scheduled: publishTutorial publishes now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import Role
from models.comments import CommentTargetKind
from models.content import (
    Difficulty,
    ShoppableTag,
    TagTarget,
    Tutorial,
    TutorialPart,
    TutorialProduct,
    TutorialStatus,
    TutorialStep,
)
from models.media import Media
from resolvers.auth import require_scope, require_session
from resolvers.catalog import visible_products
from resolvers.catalog.loaders import variant_by_id
from resolvers.content.checks import check_title, render_markdown
from resolvers.content.loaders import (
    parts_by_tutorial,
    steps_by_tutorial,
    tags_by_tutorial,
    tutorial_by_id,
    tutorial_by_slug,
)
from resolvers.content.slugs import free_slug
from resolvers.content.tutorial_access import target_tutorial
from resolvers.content.tutorial_checks import (
    MAX_STEP_MEDIA,
    CheckedStep,
    PartSpec,
    ProductRef,
    StepSpec,
    check_duration,
    check_parts,
    check_steps,
    check_summary,
)
from resolvers.content.writing import drop_discussion
from resolvers.errors import InvalidInput, NotFound, PermissionDenied
from resolvers.loading import forget
from resolvers.media import check_media_ids
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


@dataclass(frozen=True, slots=True)
class TutorialChanges:
    """What an edit gives; None leaves a field as it is (steps and parts: replaced if given)."""

    title: str | None = None
    summary: str | None = None
    difficulty: Difficulty | None = None
    duration_minutes: int | None = None
    set_cover: bool = False  # with cover_media_id None: remove the cover
    cover_media_id: int | None = None
    steps: Sequence[StepSpec] | None = None
    parts: Sequence[PartSpec] | None = None


@dataclass(frozen=True, slots=True)
class TutorialContent:
    """Steps and parts, checked, ready to be written; None keeps what is stored (an edit that
    gives only one of the two checks only that one)."""

    steps: list[CheckedStep] | None
    parts: list[PartSpec] | None


def content_of(
    steps: Sequence[StepSpec] | None, parts: Sequence[PartSpec] | None
) -> TutorialContent:
    """The checks that need no database (also for demo data, whose products are known)."""
    return TutorialContent(
        check_steps(steps) if steps is not None else None,
        check_parts(parts) if parts is not None else None,
    )


def _forget(ctx: Context, row: Tutorial) -> None:
    forget(ctx.loaders[tutorial_by_id], row.id)
    forget(ctx.loaders[tutorial_by_slug], row.slug)
    forget(ctx.loaders[steps_by_tutorial], row.id)
    forget(ctx.loaders[parts_by_tutorial], row.id)
    forget(ctx.loaders[tags_by_tutorial], row.id)


async def _own_media(ctx: Context, ids: Sequence[int], field: str, maximum: int) -> list[int]:
    user = ctx.principal.user
    assert user is not None  # require_scope has run

    async def own(found: Media) -> bool:
        return bool(found.owner_id == user.id)

    return await check_media_ids(ctx, ids, field=field, maximum=maximum, may_attach=own)


async def _check_refs(ctx: Context, refs: Sequence[tuple[str, ProductRef]]) -> None:
    """Each product exists and the caller (the author) may see it; each variant is one of its
    product's. `refs` pairs a field prefix (`parts.0`) with the reference."""
    products = await visible_products(ctx, [ref.product_id for _, ref in refs])
    variants = await ctx.loaders[variant_by_id].load_many(
        [ref.variant_id for _, ref in refs if ref.variant_id is not None]
    )
    by_id = {row.id: row for row in variants if row is not None}
    for (prefix, ref), product in zip(refs, products, strict=True):
        if product is None:
            raise InvalidInput(f"{prefix}.productId", "There is no such product.")
        variant = by_id.get(ref.variant_id) if ref.variant_id is not None else None
        if ref.variant_id is not None and (variant is None or variant.product_id != product.id):
            raise InvalidInput(f"{prefix}.variantId", "Not a variant of this product.")


async def _checked_content(
    ctx: Context, steps: Sequence[StepSpec] | None, parts: Sequence[PartSpec] | None
) -> TutorialContent:
    checked = content_of(steps, parts)
    checked_steps, checked_parts = checked.steps or [], checked.parts or []
    refs: list[tuple[str, ProductRef]] = [
        (f"steps.{step.position}.products.{m}", ref)
        for step in checked_steps
        for m, ref in enumerate(step.products)
    ]
    refs += [
        (f"parts.{n}", ProductRef(part.product_id, part.variant_id))
        for n, part in enumerate(checked_parts)
    ]
    await _check_refs(ctx, refs)
    media = []
    for step in checked_steps:
        field = f"steps.{step.position}.mediaIds"
        media.append(await _own_media(ctx, step.media_ids, field, maximum=MAX_STEP_MEDIA))
    steps_out = [
        CheckedStep(s.position, s.title, s.body, s.body_html, ids, s.products)
        for s, ids in zip(checked_steps, media, strict=True)
    ]
    return TutorialContent(
        steps_out if checked.steps is not None else None,
        checked_parts if checked.parts is not None else None,
    )


async def _write_content(tutorial_id: int, content: TutorialContent) -> None:
    """Replace the steps and/or parts given, then the product index and the step count
    (inside the caller's transaction)."""
    if content.steps is not None:
        await TutorialStep.filter(tutorial_id=tutorial_id).delete()
        await TutorialStep.bulk_create(
            [
                TutorialStep(
                    tutorial_id=tutorial_id,
                    position=step.position,
                    title=step.title,
                    body=step.body,
                    body_html=step.body_html,
                    media_ids=step.media_ids,
                    products=[
                        {"product": r.product_id, "variant": r.variant_id} for r in step.products
                    ],
                )
                for step in content.steps
            ]
        )
    if content.parts is not None:
        await TutorialPart.filter(tutorial_id=tutorial_id).delete()
        await TutorialPart.bulk_create(
            [
                TutorialPart(tutorial_id=tutorial_id, position=n, **_part_columns(part))
                for n, part in enumerate(content.parts)
            ]
        )
    steps = await TutorialStep.filter(tutorial_id=tutorial_id).only("id", "media_ids", "products")
    if content.steps is not None:
        # A media item keeps its tags while some step still shows it.
        shown = {media_id for step in steps for media_id in step.media_ids}
        tags = ShoppableTag.filter(target_kind=TagTarget.TUTORIAL, target_id=tutorial_id)
        await (tags.exclude(media_id__in=sorted(shown)) if shown else tags).delete()
    await reindex_products(tutorial_id, steps)
    await Tutorial.filter(id=tutorial_id).update(step_count=len(steps))


async def reindex_products(tutorial_id: int, steps: Sequence[TutorialStep] | None = None) -> None:
    """Rebuild the index of products the tutorial uses: its parts, its steps' products and
    its tags (inside the caller's transaction). `steps`: its steps if the caller read them."""
    if steps is None:
        steps = await TutorialStep.filter(tutorial_id=tutorial_id).only("id", "products")
    parts = await TutorialPart.filter(tutorial_id=tutorial_id).only("id", "product_id")
    tags = ShoppableTag.filter(target_kind=TagTarget.TUTORIAL, target_id=tutorial_id)
    tagged = [tag.product_id for tag in await tags.only("id", "product_id")]
    used = dict.fromkeys(
        [part.product_id for part in parts]
        + [int(ref["product"] or 0) for step in steps for ref in step.products]
        + tagged
    )
    await TutorialProduct.filter(tutorial_id=tutorial_id).delete()
    await TutorialProduct.bulk_create(
        [TutorialProduct(tutorial_id=tutorial_id, product_id=pid) for pid in used]
    )


def _part_columns(part: PartSpec) -> dict[str, Any]:
    return {
        "product_id": part.product_id,
        "variant_id": part.variant_id,
        "quantity": part.quantity,
        "note": part.note,
    }


async def insert_tutorial(
    author_id: int,
    *,
    title: str,
    summary: str,
    difficulty: Difficulty,
    duration_minutes: int,
    cover_media_id: int | None,
    content: TutorialContent,
) -> Tutorial:
    """A new draft (the slug from the title), with its steps and parts, in one transaction."""
    for _ in range(3):  # a concurrent tutorial may take the same slug between check and insert
        slug = await free_slug(Tutorial, title, "tutorial")
        try:
            async with in_transaction():
                row = await Tutorial.create(
                    author_id=author_id,
                    slug=slug,
                    title=title,
                    summary=summary,
                    summary_html=render_markdown(summary),
                    difficulty=difficulty,
                    duration_minutes=duration_minutes,
                    cover_media_id=cover_media_id,
                )
                await _write_content(row.id, content)
            row.step_count = len(content.steps or [])
            return row
        except IntegrityError:
            continue
    raise InvalidInput("title", "Could not find a free slug for this title; change it a little.")


async def create_tutorial(
    ctx: Context,
    *,
    title: str,
    summary: str,
    difficulty: Difficulty,
    duration_minutes: int,
    cover_media_id: int | None,
    steps: Sequence[StepSpec],
    parts: Sequence[PartSpec],
) -> Tutorial:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    title, summary = check_title(title), check_summary(summary)
    duration_minutes = check_duration(duration_minutes)
    cover = await _cover(ctx, cover_media_id)
    content = await _checked_content(ctx, steps, parts)
    return await insert_tutorial(
        user.id,
        title=title,
        summary=summary,
        difficulty=difficulty,
        duration_minutes=duration_minutes,
        cover_media_id=cover,
        content=content,
    )


async def _cover(ctx: Context, media_id: int | None) -> int | None:
    if media_id is None:
        return None
    [found] = await _own_media(ctx, [media_id], "coverMediaId", maximum=1)
    return found


async def _own_tutorial(ctx: Context, tutorial_id: int) -> Tutorial:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    row = await target_tutorial(ctx, tutorial_id)
    if row.author_id != user.id:
        raise PermissionDenied("Only the author can change a tutorial.")
    return row


async def _locked(tutorial_id: int) -> Tutorial:
    row = await Tutorial.filter(id=tutorial_id).select_for_update().first()
    if row is None:  # deleted since it was read
        raise NotFound("Tutorial")
    return row


async def update_tutorial(ctx: Context, *, tutorial_id: int, changes: TutorialChanges) -> Tutorial:
    """Change what is given; steps or parts given replace the old ones wholesale, together
    with the rest, in one transaction."""
    current = await _own_tutorial(ctx, tutorial_id)
    columns: dict[str, Any] = {}
    if changes.title is not None:
        columns["title"] = check_title(changes.title)
    if changes.summary is not None:
        columns["summary"] = check_summary(changes.summary)
        columns["summary_html"] = render_markdown(columns["summary"])
    if changes.difficulty is not None:
        columns["difficulty"] = changes.difficulty
    if changes.duration_minutes is not None:
        columns["duration_minutes"] = check_duration(changes.duration_minutes)
    if changes.set_cover:
        columns["cover_media_id"] = await _cover(ctx, changes.cover_media_id)
    content = None
    if changes.steps is not None or changes.parts is not None:
        content = await _checked_content(ctx, changes.steps, changes.parts)
    async with in_transaction():
        row = await _locked(current.id)
        emptied = content is not None and content.steps == []
        if emptied and row.status is TutorialStatus.PUBLISHED:
            raise InvalidInput("steps", "A published tutorial keeps at least one step.")
        for name, value in columns.items():
            setattr(row, name, value)
        await row.save(update_fields=[*columns, "updated_at"])
        if content is not None:
            await _write_content(row.id, content)
            if content.steps is not None:
                row.step_count = len(content.steps)
    _forget(ctx, row)
    return row


async def publish_tutorial(ctx: Context, *, tutorial_id: int) -> Tutorial:
    """Publish now (also brings an archived tutorial back); it needs at least one step."""
    current = await _own_tutorial(ctx, tutorial_id)
    row = await publish_tutorial_row(current.id, datetime.now(UTC))
    _forget(ctx, row)
    return row


async def publish_tutorial_row(tutorial_id: int, now: datetime) -> Tutorial:
    """Publish a tutorial (no check of who asks: publish_tutorial makes it; also demo data)."""
    async with in_transaction():
        row = await _locked(tutorial_id)
        if row.step_count < 1:
            raise InvalidInput("steps", "Add at least one step before publishing.")
        if row.status is not TutorialStatus.PUBLISHED:
            row.status, row.published_at = TutorialStatus.PUBLISHED, now
            await row.save(update_fields=["status", "published_at", "updated_at"])
    return row


async def archive_tutorial(ctx: Context, *, tutorial_id: int) -> Tutorial:
    """Take a tutorial out of view (its author and admins still see it)."""
    current = await _own_tutorial(ctx, tutorial_id)
    async with in_transaction():
        row = await _locked(current.id)
        if row.status is not TutorialStatus.ARCHIVED:
            row.status = TutorialStatus.ARCHIVED
            await row.save(update_fields=["status", "updated_at"])
    _forget(ctx, row)
    return row


async def delete_tutorial(ctx: Context, *, tutorial_id: int) -> Tutorial:
    """For good, with its steps and parts; order lines attributed to it keep their sourceId,
    which then resolves to null."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    row = await target_tutorial(ctx, tutorial_id)
    if row.author_id != user.id:
        if user.role not in (Role.ADMIN, Role.MODERATOR):
            raise PermissionDenied("Only the author, a moderator or an admin can delete this.")
        require_session(ctx)  # removing someone else's tutorial is moderation: in person only
    async with in_transaction():
        await ShoppableTag.filter(target_kind=TagTarget.TUTORIAL, target_id=row.id).delete()
        await drop_discussion(CommentTargetKind.TUTORIAL, row.id)
        await Tutorial.filter(id=row.id).delete()
    _forget(ctx, row)
    return row
