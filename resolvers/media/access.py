"""Who sees a media object, and which media a caller may attach to a product or review.

PENDING, PROCESSING and FAILED media are their owner's (and admins') only: nothing about an
upload in progress is public. READY media are public, like the products and reviews that show
them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from models.accounts import Role, User
from models.media import Media, MediaStatus
from resolvers.errors import InvalidInput, NotFound
from resolvers.media.loaders import media_by_id
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


def _private_viewer(ctx: Context) -> User | None:
    """The user whose non-public view applies; apps need read:content for it."""
    user = ctx.principal.user
    if user is None or (ctx.principal.is_app and Scope.READ_CONTENT not in ctx.principal.scopes):
        return None
    return user


def _can_see_private(ctx: Context, media: Media) -> bool:
    user = _private_viewer(ctx)
    return user is not None and (user.id == media.owner_id or user.role is Role.ADMIN)


def _can_see(ctx: Context, media: Media) -> bool:
    return media.status is MediaStatus.READY or _can_see_private(ctx, media)


def object_url(ctx: Context, key: str) -> str:
    """Where clients fetch an object: S3_PUBLIC_URL (a CDN), else a presigned GET of the
    bucket (6 hours), or our own /media/ route for a local directory."""
    return ctx.services.storage.download_url(key)


async def visible_media(ctx: Context, ids: Sequence[int]) -> list[Media | None]:
    """Media the caller may see, for node(id), nodes, Product.media and Review.media."""
    rows = await ctx.loaders[media_by_id].load_many(list(ids))
    return [row if row is not None and _can_see(ctx, row) else None for row in rows]


async def target_media(ctx: Context, media_id: int) -> Media:
    [media] = await visible_media(ctx, [media_id])
    if media is None:
        raise NotFound("Media")
    return media


async def check_media_ids(
    ctx: Context,
    ids: Sequence[int],
    *,
    field: str,
    maximum: int,
    may_attach: Callable[[Media], Awaitable[bool]],
    whose: str = "uploaded by you",
) -> list[int]:
    """The ids, de-duplicated in order, if each is READY media `may_attach` accepts.

    Anything else is one ValidationError naming `field`, worded the same whether the media
    does not exist, is someone else's or is not ready, so ids leak nothing.
    """
    cleaned = list(dict.fromkeys(ids))
    if len(cleaned) > maximum:
        raise InvalidInput(field, f"At most {maximum} media.")
    rows = await ctx.loaders[media_by_id].load_many(cleaned)
    for row in rows:
        if row is None or row.status is not MediaStatus.READY or not await may_attach(row):
            raise InvalidInput(field, f"Each media must be READY (processed) and {whose}.")
    return cleaned
