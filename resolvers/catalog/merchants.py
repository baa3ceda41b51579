"""Merchants: opening one, changing its profile, adding and removing staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError

from models.accounts import Role, User
from models.catalog import Merchant, MerchantStaff
from resolvers.auth import require_role_and_scope
from resolvers.catalog.access import managed_merchant
from resolvers.catalog.checks import (
    CURRENCY_PATTERN,
    check_slug,
    check_text,
    check_urls,
    sanitize_html,
)
from resolvers.catalog.loaders import merchant_teams_by_user
from resolvers.errors import Conflict, InvalidInput, NotFound
from resolvers.loading import forget
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


async def create_merchant(
    ctx: Context, *, name: str, slug: str | None, story_html: str, logo_url: str, currency: str
) -> Merchant:
    # Storefronts are for merchants (and admins setting one up); moderators hold every scope
    # for their work, but do not sell.
    owner = require_role_and_scope(ctx, Scope.WRITE_COMMERCE, Role.MERCHANT, Role.ADMIN)
    name = check_text(name, "name", maximum=120)
    if not CURRENCY_PATTERN.match(currency):
        raise InvalidInput("currency", "A currency is a 3-letter ISO-4217 code, e.g. USD.")
    if logo_url:
        check_urls([logo_url], "logoUrl")
    try:
        return await Merchant.create(
            owner_id=owner.id,
            name=name,
            slug=check_slug(slug, name),
            story_html=sanitize_html(story_html, "storyHtml"),
            logo_url=logo_url,
            currency=currency,
        )
    except IntegrityError:
        raise Conflict("That slug is already taken.", field="slug") from None


async def update_merchant(
    ctx: Context,
    *,
    merchant_id: int,
    name: str | None,
    story_html: str | None,
    logo_url: str | None,
) -> Merchant:
    merchant = await managed_merchant(ctx, merchant_id)
    if name is not None:
        merchant.name = check_text(name, "name", maximum=120)
    if story_html is not None:
        merchant.story_html = sanitize_html(story_html, "storyHtml")
    if logo_url is not None:
        merchant.logo_url = check_urls([logo_url], "logoUrl")[0] if logo_url else ""
    await merchant.save(update_fields=["name", "story_html", "logo_url", "updated_at"])
    return merchant


# users.handle: a longer handle names nobody, and the query would fail on its length.
HANDLE_MAX = 30


async def add_merchant_staff(ctx: Context, *, merchant_id: int, handle: str) -> Merchant:
    merchant = await managed_merchant(ctx, merchant_id)
    wanted = handle.strip().lower()
    user = await User.filter(handle=wanted).first() if len(wanted) <= HANDLE_MAX else None
    if user is None:
        raise NotFound("User", f"No user with handle {handle[:HANDLE_MAX]!r}.")
    if user.id == merchant.owner_id:
        raise InvalidInput("handle", "The owner is already in charge of this merchant.")
    try:
        await MerchantStaff.create(merchant_id=merchant.id, user_id=user.id)
    except IntegrityError:
        raise Conflict("That user is already staff.", field="handle") from None
    forget(ctx.loaders[merchant_teams_by_user], user.id)
    return merchant


async def remove_merchant_staff(ctx: Context, *, merchant_id: int, handle: str) -> Merchant:
    merchant = await managed_merchant(ctx, merchant_id)
    wanted = handle.strip().lower()
    staff = (
        await MerchantStaff.filter(merchant_id=merchant.id, user__handle=wanted).first()
        if len(wanted) <= HANDLE_MAX
        else None
    )
    if staff is None:
        raise NotFound("MerchantStaff", f"{handle[:HANDLE_MAX]!r} is not staff of this merchant.")
    await staff.delete()
    forget(ctx.loaders[merchant_teams_by_user], staff.user_id)
    return merchant
