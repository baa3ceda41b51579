"""Who sees a media object, and which media a caller may attach to a product or review.

By id (node, nodes, the mutations' targets) a media is its owner's (and admins') only, in any
status: ids are sequential, and a READY photo of a hidden review or a draft product must not be
listable by walking them. Everyone else sees READY media through what shows them,
`Product.media`, `Review.media` and `Post.cover`/`Post.media`, whose parent's own visibility
has been checked
(`attached_media`).

PRIVATE media are their owner's and admins' on every path: attached to a product or review
they still show only to those two, so a draft's images or a document for staff can be
attached without anyone else seeing them. Their URLs are short-lived signed ones
(MEDIA_PRIVATE_URL_SECONDS), never the CDN's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from models.accounts import Role, User
from models.media import Media, MediaStatus, MediaVisibility
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


def object_url(ctx: Context, media: Media, key: str) -> str:
    """Where clients fetch one of the media's objects. Public: S3_PUBLIC_URL (a CDN), else a
    presigned GET of the bucket (6 hours), or our own /media/ route for a local directory.
    Private: a presigned GET (or a signed /media/ URL) good for MEDIA_PRIVATE_URL_SECONDS."""
    storage = ctx.services.storage
    if media.visibility is MediaVisibility.PRIVATE:
        return storage.signed_url(key, ctx.settings.media_private_url_seconds)
    return storage.download_url(key)


async def visible_media(ctx: Context, ids: Sequence[int]) -> list[Media | None]:
    """Media the caller may reach by id: their own, and every one for admins."""
    rows = await ctx.loaders[media_by_id].load_many(list(ids))
    return [row if row is not None and _can_see_private(ctx, row) else None for row in rows]


async def attached_media(ctx: Context, ids: Sequence[int]) -> list[Media]:
    """The READY media of a product or review the caller may see, in order; deleted ones,
    and private ones of others, skipped. One batched load per request, whatever the page
    size."""
    rows = await ctx.loaders[media_by_id].load_many(list(ids))
    return [
        row
        for row in rows
        if row is not None
        and row.status is MediaStatus.READY
        and (row.visibility is MediaVisibility.PUBLIC or _can_see_private(ctx, row))
    ]


async def target_media(ctx: Context, media_id: int) -> Media:
    """The media a mutation acts on: one the caller may reach, or their own upload. An app
    uploading for its owner (write:content) needs no read:content to complete it."""
    media = await ctx.loaders[media_by_id].load(media_id)
    user = ctx.principal.user
    mine = media is not None and user is not None and media.owner_id == user.id
    if media is None or not (mine or _can_see_private(ctx, media)):
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
