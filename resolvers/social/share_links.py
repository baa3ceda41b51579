"""Share links: one per (sharer, target, channel), a short random code, clicks and sales.

The code is 10 base62 characters from `secrets` (62^10, about 8e17: not guessable, and a
collision is rare enough that a few retries settle it). A cart line carrying the code credits
the link (resolvers/carts/attribution.py checks the code exists); the link's orders and GMV
are the order lines with that code on paid, not refunded orders, summed like every other
attribution (resolvers/orders/attribution.py).
"""

from __future__ import annotations

import re
import secrets
import string
from typing import TYPE_CHECKING
from urllib.parse import quote

from tortoise.exceptions import IntegrityError

from models.social import ShareChannel, ShareLink, ShareTargetKind
from resolvers.auth import require_scope
from resolvers.errors import InvalidInput, NotFound
from resolvers.pagination import Page, PageArgs, paginate_query
from resolvers.principal import Scope
from resolvers.ratelimit import consume
from resolvers.social.access import ShareTarget, sees_share_links_of, share_target
from resolvers.social.clicks import count_click
from settings import Settings

if TYPE_CHECKING:
    from resolvers.context import Context

ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 10
CODE_ATTEMPTS = 5
# What a code may look like: ours, and the demo's readable ones (`ana-spring`).
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
SHARE_PATH = "/s/"
# Where the storefront (the frontend at STOREFRONT_URL) shows each kind of target; the route
# `/s/<code>` redirects there with `?share=<code>` (README, Follows and share links).
STOREFRONT_PATHS: dict[ShareTargetKind, str] = {
    ShareTargetKind.POST: "/posts/",
    ShareTargetKind.PRODUCT: "/products/",
    ShareTargetKind.USER: "/u/",
    ShareTargetKind.TOPIC: "/topics/",
}


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def share_url(ctx: Context, code: str) -> str:
    return ctx.settings.public_url.rstrip("/") + SHARE_PATH + code


async def create_share_link(
    ctx: Context, kind: ShareTargetKind, target_id: int, channel: ShareChannel
) -> ShareLink:
    """The caller's link to a target they can see on a channel: the same one every time."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    await share_target(ctx, kind, target_id)
    same = {"sharer_id": user.id, "target_kind": kind, "target_id": target_id, "channel": channel}
    for _ in range(CODE_ATTEMPTS):
        existing = await ShareLink.filter(**same).first()
        if existing is not None:
            return existing
        try:
            return await ShareLink.create(code=new_code(), **same)
        except IntegrityError:
            continue  # a concurrent twin (found above next time) or, rarely, a taken code
    raise RuntimeError("no free share code after several attempts")


def _check_code(code: str) -> str:
    cleaned = code.strip()
    if not CODE_PATTERN.match(cleaned):
        raise InvalidInput("code", "A share code is 1-40 letters, digits, '-' or '_'.")
    return cleaned


def storefront_url(settings: Settings, link: ShareLink, target: ShareTarget) -> str:
    """The storefront page of the link's target, carrying the code for attribution."""
    base = (settings.storefront_url or settings.public_url).rstrip("/")
    key = target.row.handle if target.kind is ShareTargetKind.USER else target.row.slug
    path = STOREFRONT_PATHS[target.kind] + quote(str(key), safe="")
    return f"{base}{path}?share={quote(link.code, safe='')}"


async def resolve_share_link(
    ctx: Context, code: str, *, count: bool = True
) -> tuple[ShareLink, ShareTarget]:
    """Anyone: the link's target, counting the click (limited per client address). A link
    whose target is gone or hidden is a NotFound, and counts nothing. `count=False` (a HEAD
    from a link unfurler) looks the link up without counting or spending the limit."""
    if count:
        await _limit_clicks(ctx)
    link = await ShareLink.filter(code=_check_code(code)).first()
    if link is None:
        raise NotFound("ShareLink")
    target = await share_target(ctx, link.target_kind, link.target_id)
    if count:
        await count_click(ctx, link.id)
    return link, target


async def _limit_clicks(ctx: Context) -> None:
    await consume(
        ctx,
        "share-click",
        ctx.client_network,
        limit=ctx.settings.share_clicks_per_minute,
        window_seconds=60,
        message="Too many share links opened from this address. Try again in a minute.",
    )


async def user_share_links(ctx: Context, sharer_id: int, args: PageArgs) -> Page[ShareLink] | None:
    """A user's share links, newest first: for that user (apps: read:content) and admins."""
    if not sees_share_links_of(ctx, sharer_id):
        return None
    return await paginate_query(ShareLink.filter(sharer_id=sharer_id), args)
