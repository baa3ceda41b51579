"""Writing reviews: create, edit, delete and moderate, each adjusting the rating counters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import User
from models.media import Media
from models.orders import LineStatus, OrderLine
from models.reviews import Review, ReviewStatus
from resolvers import events
from resolvers.auth import require_scope, require_session
from resolvers.catalog.loaders import product_by_id
from resolvers.errors import Conflict, NotFound, PermissionDenied
from resolvers.loading import forget
from resolvers.media import check_media_ids
from resolvers.principal import Scope
from resolvers.reviews.access import STAFF_ROLES, target_review
from resolvers.reviews.checks import (
    MAX_PHOTOS,
    check_body,
    check_photo_urls,
    check_rating,
    check_title,
)
from resolvers.reviews.counters import count_rating, forget_review, locked_review, move_rating
from resolvers.reviews.errors import ReviewNotAllowed, ReviewNotAllowedReason

if TYPE_CHECKING:
    from resolvers.context import Context

EDIT_WINDOW = timedelta(days=30)


async def delivered_line(user_id: int, product_id: int) -> OrderLine:
    """The buyer's latest delivered line of the product, or why there is none."""
    lines = await OrderLine.filter(order__buyer_id=user_id, product_id=product_id).order_by("-id")
    if not lines:
        raise ReviewNotAllowed(
            ReviewNotAllowedReason.NOT_PURCHASED, "Only buyers of this product can review it."
        )
    for line in lines:
        if line.status is LineStatus.DELIVERED:
            return line
    raise ReviewNotAllowed(
        ReviewNotAllowedReason.NOT_DELIVERED, "You can review this product once it is delivered."
    )


async def create_review(
    ctx: Context,
    *,
    product_id: int,
    rating: int,
    title: str,
    body: str,
    photo_urls: list[str],
    media_ids: list[int] | None = None,
) -> Review:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    fields = {
        "rating": check_rating(rating),
        "title": check_title(title),
        "body": check_body(body),
        "photo_urls": check_photo_urls(photo_urls),
        "media_ids": await _check_media(ctx, user, media_ids or []),
    }
    if await ctx.loaders[product_by_id].load(product_id) is None:
        raise NotFound("Product")
    line = await delivered_line(user.id, product_id)
    review = await insert_review(user.id, line, **fields)
    forget(ctx.loaders[product_by_id], product_id)
    return review


async def _check_media(ctx: Context, user: User, ids: list[int]) -> list[int]:
    async def own(found: Media) -> bool:
        return bool(found.owner_id == user.id)

    return await check_media_ids(ctx, ids, field="mediaIds", maximum=MAX_PHOTOS, may_attach=own)


async def insert_review(author_id: int, line: OrderLine, **fields: Any) -> Review:
    """Insert a published review of a delivered line and count it (also for demo data)."""
    try:
        async with in_transaction():
            review = await Review.create(
                product_id=line.product_id,
                author_id=author_id,
                order_line_id=line.id,
                verified_purchase=line.status is LineStatus.DELIVERED,
                has_media=bool(fields.get("photo_urls") or fields.get("media_ids")),
                **fields,
            )
            await count_rating(line.product_id, review.rating, +1)
            await events.review_created(review)
    except IntegrityError:
        raise Conflict("You have already reviewed this product.", field="productId") from None
    return review


async def update_review(
    ctx: Context,
    *,
    review_id: int,
    rating: int | None,
    title: str | None,
    body: str | None,
    photo_urls: list[str] | None,
    media_ids: list[int] | None = None,
) -> Review:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    review = await target_review(ctx, review_id)
    if review.author_id != user.id:
        raise PermissionDenied("Only the author can edit a review.")
    if datetime.now(UTC) - review.created_at > EDIT_WINDOW:
        raise PermissionDenied(f"Reviews can be edited for {EDIT_WINDOW.days} days after posting.")
    changes: dict[str, Any] = {}
    if rating is not None:
        changes["rating"] = check_rating(rating)
    if title is not None:
        changes["title"] = check_title(title)
    if body is not None:
        changes["body"] = check_body(body)
    if photo_urls is not None:
        changes["photo_urls"] = check_photo_urls(photo_urls)
    if media_ids is not None:
        changes["media_ids"] = await _check_media(ctx, user, media_ids)
    async with in_transaction():
        row = await locked_review(review.id)
        old_rating = row.rating
        for name, value in changes.items():
            setattr(row, name, value)
        if "photo_urls" in changes or "media_ids" in changes:
            row.has_media = bool(row.photo_urls or row.media_ids)
            changes["has_media"] = row.has_media
        row.edited_at = datetime.now(UTC)
        await row.save(update_fields=[*changes, "edited_at", "updated_at"])
        if row.status is ReviewStatus.PUBLISHED:
            await move_rating(row.product_id, old_rating, row.rating)
    forget_review(ctx, row)
    return row


async def delete_review(ctx: Context, *, review_id: int) -> Review:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    review = await target_review(ctx, review_id)
    if review.author_id != user.id:
        if user.role not in STAFF_ROLES:
            raise PermissionDenied("Only the author, a moderator or an admin can delete it.")
        require_session(ctx)  # removing someone else's review is moderation: in person only
    async with in_transaction():
        row = await locked_review(review.id)
        await Review.filter(id=row.id).delete()
        if row.status is ReviewStatus.PUBLISHED:
            await count_rating(row.product_id, row.rating, -1)
    forget_review(ctx, row)
    return row


async def set_review_status(ctx: Context, review: Review, status: ReviewStatus) -> bool:
    """Hide or publish a review for the moderation domain, which decided who may, inside its
    transaction; the rating counters follow. False when it already had that status."""
    row = await locked_review(review.id)
    forget_review(ctx, row)
    if row.status is status:
        return False
    row.status = status
    await row.save(update_fields=["status", "updated_at"])
    delta = +1 if status is ReviewStatus.PUBLISHED else -1
    await count_rating(row.product_id, row.rating, delta)
    return True
