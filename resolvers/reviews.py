"""Reviews by buyers of delivered order lines: writing, editing, votes, reports, moderation.

A product's rating counters (count, sum, one per star) count published reviews only. Every
review write changes them in the same transaction with atomic UPDATEs (F expressions), and
state changes re-read the review under a row lock, so the counters stay exact under concurrency.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.accounts import Role, User
from models.catalog import Merchant, MerchantStaff, Product
from models.orders import LineStatus, OrderLine
from models.reviews import Review, ReviewReport, ReviewStatus, ReviewVote
from resolvers.auth import require_role, require_scope, require_session, require_user
from resolvers.errors import (
    BadUserInput,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from resolvers.loading import forget
from resolvers.pagination import PageArgs, SortedPage, SortKey, paginate_sorted
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

EDIT_WINDOW = timedelta(days=30)
TITLE_MAX, BODY_MAX, REPLY_MAX, REASON_MAX = 120, 5000, 2000, 500
MAX_PHOTOS, PHOTO_URL_MAX = 6, 500
STAFF_ROLES = (Role.ADMIN, Role.MODERATOR)


class ReviewNotAllowedReason(StrEnum):
    NOT_PURCHASED = "not_purchased"
    NOT_DELIVERED = "not_delivered"


class ReviewNotAllowed(DomainError):
    """The caller may not review this product (yet): the reason says why."""

    def __init__(self, reason: ReviewNotAllowedReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ReviewOrder(StrEnum):
    HELPFUL = "helpful"  # most helpful first
    NEWEST = "newest"
    RATING = "rating"  # highest rating first


SORT_KEYS: dict[ReviewOrder, SortKey] = {
    ReviewOrder.HELPFUL: SortKey("helpful_count"),
    ReviewOrder.NEWEST: SortKey("id"),
    ReviewOrder.RATING: SortKey("rating"),
}


# ---- input checks -----------------------------------------------------------------------------


def check_rating(rating: int, field_name: str = "rating") -> int:
    if not 1 <= rating <= 5:
        raise InvalidInput(field_name, "A rating is a whole number from 1 to 5.")
    return rating


def check_title(title: str) -> str:
    cleaned = " ".join(title.split())  # one line
    if len(cleaned) > TITLE_MAX:
        raise InvalidInput("title", f"A title is at most {TITLE_MAX} characters.")
    return cleaned


def check_body(body: str, field_name: str = "body", maximum: int = BODY_MAX) -> str:
    cleaned = body.strip()  # plain text: stored as sent, never interpreted as HTML
    if len(cleaned) > maximum:
        raise InvalidInput(field_name, f"At most {maximum} characters.")
    return cleaned


def check_photo_urls(urls: Iterable[str]) -> list[str]:
    cleaned = list(dict.fromkeys(url.strip() for url in urls))
    if len(cleaned) > MAX_PHOTOS:
        raise InvalidInput("photoUrls", f"At most {MAX_PHOTOS} photos.")
    for url in cleaned:
        host = url[len("https://") :].split("/", 1)[0]
        if (
            not url.startswith("https://")
            or not host
            or len(url) > PHOTO_URL_MAX
            or any(c.isspace() for c in url)
        ):
            raise InvalidInput(
                "photoUrls", f"Photos are https URLs of at most {PHOTO_URL_MAX} characters."
            )
    return cleaned


# ---- who sees and does what -------------------------------------------------------------------


def _private_viewer(ctx: Context) -> User | None:
    """The user whose non-public view applies; apps need read:content for it."""
    user = ctx.principal.user
    if user is None or (ctx.principal.is_app and Scope.READ_CONTENT not in ctx.principal.scopes):
        return None
    return user


def is_staff(ctx: Context) -> bool:
    user = _private_viewer(ctx)
    return user is not None and user.role in STAFF_ROLES


def can_see_private(ctx: Context, review: Review) -> bool:
    """Status, reports: the author, moderators and admins."""
    user = _private_viewer(ctx)
    return user is not None and (review.author_id == user.id or user.role in STAFF_ROLES)


def can_see(ctx: Context, review: Review) -> bool:
    return review.status is ReviewStatus.PUBLISHED or can_see_private(ctx, review)


def visible_to(ctx: Context, query: QuerySet[Review]) -> QuerySet[Review]:
    """Published reviews, plus hidden ones for their author and for staff."""
    user = _private_viewer(ctx)
    if user is not None and user.role in STAFF_ROLES:
        return query
    if user is not None:
        return query.filter(Q(status=ReviewStatus.PUBLISHED) | Q(author_id=user.id))
    return query.filter(status=ReviewStatus.PUBLISHED)


async def visible_review(ctx: Context, review_id: int) -> Review | None:
    review = await ctx.loaders.review_by_id.load(review_id)
    return review if review is not None and can_see(ctx, review) else None


async def _target(ctx: Context, review_id: int) -> Review:
    review = await visible_review(ctx, review_id)
    if review is None:
        raise NotFound("Review")
    return review


async def is_merchant_team(user: User, merchant: Merchant) -> bool:
    """The merchant's owner or staff: who speaks for the merchant in replies."""
    if merchant.owner_id == user.id:
        return True
    return await MerchantStaff.filter(merchant_id=merchant.id, user_id=user.id).exists()


# ---- counters ---------------------------------------------------------------------------------


def _bucket(rating: int) -> str:
    return f"rating_{rating}"


async def _count(product_id: int, rating: int, delta: int) -> None:
    """Add (+1) or remove (-1) one published review of `rating` from the product's summary."""
    await Product.filter(id=product_id).update(
        rating_count=F("rating_count") + delta,
        rating_sum=F("rating_sum") + delta * rating,
        **{_bucket(rating): F(_bucket(rating)) + delta},
    )


async def _move(product_id: int, old: int, new: int) -> None:
    """A published review's rating changed from `old` to `new`."""
    if old != new:
        await Product.filter(id=product_id).update(
            rating_sum=F("rating_sum") + (new - old),
            **{_bucket(old): F(_bucket(old)) - 1, _bucket(new): F(_bucket(new)) + 1},
        )


async def _locked(review_id: int) -> Review:
    """The review re-read under a row lock, inside the caller's transaction."""
    row = await Review.select_for_update().filter(id=review_id).first()
    if row is None:  # deleted meanwhile
        raise NotFound("Review")
    return row


def _forget(ctx: Context, review: Review) -> None:
    forget(ctx.loaders.review_by_id, review.id)
    forget(ctx.loaders.product_by_id, review.product_id)


# ---- writing reviews --------------------------------------------------------------------------


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
) -> Review:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    fields = {
        "rating": check_rating(rating),
        "title": check_title(title),
        "body": check_body(body),
        "photo_urls": check_photo_urls(photo_urls),
    }
    if await ctx.loaders.product_by_id.load(product_id) is None:
        raise NotFound("Product")
    line = await delivered_line(user.id, product_id)
    review = await insert_review(user.id, line, **fields)
    forget(ctx.loaders.product_by_id, product_id)
    return review


async def insert_review(author_id: int, line: OrderLine, **fields: Any) -> Review:
    """Insert a published review of a delivered line and count it (also for demo data)."""
    try:
        async with in_transaction():
            review = await Review.create(
                product_id=line.product_id,
                author_id=author_id,
                order_line_id=line.id,
                verified_purchase=line.status is LineStatus.DELIVERED,
                has_media=bool(fields.get("photo_urls")),
                **fields,
            )
            await _count(line.product_id, review.rating, +1)
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
) -> Review:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    review = await _target(ctx, review_id)
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
        changes["has_media"] = bool(changes["photo_urls"])
    async with in_transaction():
        row = await _locked(review.id)
        old_rating = row.rating
        for name, value in changes.items():
            setattr(row, name, value)
        row.edited_at = datetime.now(UTC)
        await row.save(update_fields=[*changes, "edited_at", "updated_at"])
        if row.status is ReviewStatus.PUBLISHED:
            await _move(row.product_id, old_rating, row.rating)
    _forget(ctx, row)
    return row


async def delete_review(ctx: Context, *, review_id: int) -> Review:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    review = await _target(ctx, review_id)
    if review.author_id != user.id:
        if user.role not in STAFF_ROLES:
            raise PermissionDenied("Only the author, a moderator or an admin can delete it.")
        require_session(ctx)  # removing someone else's review is moderation: in person only
    async with in_transaction():
        row = await _locked(review.id)
        await Review.filter(id=row.id).delete()
        if row.status is ReviewStatus.PUBLISHED:
            await _count(row.product_id, row.rating, -1)
    _forget(ctx, row)
    return row


async def moderate_review(ctx: Context, *, review_id: int, status: ReviewStatus) -> Review:
    require_role(ctx, *STAFF_ROLES)
    review = await _target(ctx, review_id)
    async with in_transaction():
        row = await _locked(review.id)
        if row.status is not status:
            row.status = status
            await row.save(update_fields=["status", "updated_at"])
            delta = +1 if status is ReviewStatus.PUBLISHED else -1
            await _count(row.product_id, row.rating, delta)
    _forget(ctx, row)
    return row


# ---- replies, votes, reports ------------------------------------------------------------------


async def reply_to_review(ctx: Context, *, review_id: int, body: str) -> Review:
    """The merchant's public answer; a new reply replaces the old one, an empty one removes it."""
    user = require_user(ctx)
    if ctx.principal.is_app:
        require_scope(ctx, Scope.WRITE_COMMERCE)
    review = await _target(ctx, review_id)
    product = await ctx.loaders.product_by_id.load(review.product_id)
    merchant = await ctx.loaders.merchant_by_id.load(product.merchant_id) if product else None
    if merchant is None or not await is_merchant_team(user, merchant):
        raise PermissionDenied("Only the product's merchant (owner or staff) can reply.")
    text = check_body(body, maximum=REPLY_MAX)
    replied_at = datetime.now(UTC) if text else None
    await Review.filter(id=review.id).update(merchant_reply=text, replied_at=replied_at)
    return await _reloaded(ctx, review)


async def _voter(ctx: Context, review_id: int) -> tuple[User, Review]:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    review = await _target(ctx, review_id)
    if review.author_id == user.id:
        raise PermissionDenied("You cannot vote on or report your own review.")
    return user, review


async def vote_review_helpful(ctx: Context, *, review_id: int) -> Review:
    user, review = await _voter(ctx, review_id)
    try:
        async with in_transaction():
            await ReviewVote.create(review_id=review.id, user_id=user.id)
            await Review.filter(id=review.id).update(helpful_count=F("helpful_count") + 1)
    except IntegrityError:
        raise Conflict("You already found this review helpful.") from None
    return await _reloaded(ctx, review)


async def unvote_review_helpful(ctx: Context, *, review_id: int) -> Review:
    """Take the viewer's helpful vote back; nothing to do when there is none."""
    user, review = await _voter(ctx, review_id)
    async with in_transaction():
        removed = await ReviewVote.filter(review_id=review.id, user_id=user.id).delete()
        if removed:
            await Review.filter(id=review.id).update(helpful_count=F("helpful_count") - removed)
    return await _reloaded(ctx, review)


async def report_review(ctx: Context, *, review_id: int, reason: str) -> Review:
    user, review = await _voter(ctx, review_id)
    text = " ".join(reason.split())
    if not 1 <= len(text) <= REASON_MAX:
        raise InvalidInput("reason", f"Say why in 1-{REASON_MAX} characters.")
    try:
        async with in_transaction():
            await ReviewReport.create(review_id=review.id, reporter_id=user.id, reason=text)
            await Review.filter(id=review.id).update(report_count=F("report_count") + 1)
    except IntegrityError:
        raise Conflict("You already reported this review.") from None
    return await _reloaded(ctx, review)


async def _reloaded(ctx: Context, review: Review) -> Review:
    _forget(ctx, review)
    if ctx.principal.user is not None:
        forget(ctx.loaders.review_votes, (ctx.principal.user.id, review.id))
    return await Review.get(id=review.id)


# ---- reading ----------------------------------------------------------------------------------


async def load_review_votes(keys: list[tuple[int, int]]) -> list[bool]:
    """DataLoader batch: has user (first) voted review (second) helpful?"""
    users = {user_id for user_id, _ in keys}
    reviews = {review_id for _, review_id in keys}
    rows = await ReviewVote.filter(user_id__in=users, review_id__in=reviews).values_list(
        "user_id", "review_id"
    )
    voted = {(int(user_id), int(review_id)) for user_id, review_id in rows}
    return [key in voted for key in keys]


def reviews_query(ctx: Context, product_id: int) -> QuerySet[Review]:
    return visible_to(ctx, Review.filter(product_id=product_id))


async def list_product_reviews(
    ctx: Context,
    *,
    product_id: int,
    order: ReviewOrder,
    with_media: bool | None,
    rating: int | None,
    args: PageArgs,
) -> SortedPage[Review]:
    query = reviews_query(ctx, product_id)
    if with_media is not None:
        query = query.filter(has_media=with_media)
    if rating is not None:
        if not 1 <= rating <= 5:
            raise BadUserInput("`rating` must be from 1 to 5.", argument="rating")
        query = query.filter(rating=rating)
    return await paginate_sorted(query, args, SORT_KEYS[order])


async def reported_reviews(
    ctx: Context, *, status: ReviewStatus | None, args: PageArgs
) -> SortedPage[Review]:
    """The moderation queue: reviews with reports, most reported first."""
    require_role(ctx, *STAFF_ROLES)
    query = Review.filter(report_count__gt=0)
    if status is not None:
        query = query.filter(status=status)
    return await paginate_sorted(query, args, SortKey("report_count"))


# ---- demo data --------------------------------------------------------------------------------

DEMO_REVIEWS = [
    (5, "Exactly as described", "Arrived quickly and well packed. Would buy again."),
    (4, "Very good", "Does the job nicely; the only thing missing is a second colour."),
    (5, "Love it", "Using it every day since it came."),
    (3, "Fine for the price", "Works, but the finish could be better."),
    (4, "Solid", "Good quality, a little smaller than I expected."),
    (2, "Not for me", "It works, but it did not suit how I use it."),
]


async def seed_reviews_demo() -> None:
    """Reviews for delivered demo order lines; nothing when there are none or reviews exist."""
    if await Review.exists():
        return
    lines = await OrderLine.filter(status=LineStatus.DELIVERED).select_related("order")
    seen: set[tuple[int, int]] = set()
    for line in lines:
        key = (line.order.buyer_id, line.product_id)
        if key in seen or not await Product.filter(id=line.product_id).exists():
            continue
        seen.add(key)
        rating, title, body = DEMO_REVIEWS[len(seen) % len(DEMO_REVIEWS)]
        await insert_review(line.order.buyer_id, line, rating=rating, title=title, body=body)
        if len(seen) >= 12:
            return
