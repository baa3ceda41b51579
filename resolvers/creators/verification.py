"""Verification: users apply for a KOL or BRAND badge; admins approve, reject or revoke.

One PENDING application per user, guaranteed by the unique `pending_for` column (see
models/creators.py): of two concurrent applications, the second insert fails and is a
ConflictError. Decisions are conditional updates of a PENDING row, so two admins deciding at
once cannot both succeed. BRAND needs the applicant to own or staff a storefront, checked when
they apply and again when an admin grants it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import User
from models.creators import (
    CreatorProfile,
    CreatorTier,
    VerificationApplication,
    VerificationStatus,
)
from resolvers.accounts import user_by_id
from resolvers.auth import require_scope
from resolvers.catalog import merchant_team_of
from resolvers.creators.access import can_see_applications, require_decider, target_application
from resolvers.creators.checks import check_links, check_message, check_reason
from resolvers.creators.loaders import application_by_id, profile_by_user
from resolvers.creators.profiles import ensure_profile, forget_profile
from resolvers.errors import Conflict, InvalidInput, NotFound
from resolvers.loading import forget
from resolvers.pagination import Page, PageArgs, paginate_query
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

BADGE_TIERS = (CreatorTier.KOL, CreatorTier.BRAND)


async def _check_tier(ctx: Context, user: User, tier: CreatorTier, field: str) -> None:
    if tier not in BADGE_TIERS:
        raise InvalidInput(field, "Verification grants KOL or BRAND; everyone is a KOC already.")
    if tier is CreatorTier.BRAND and not await merchant_team_of(ctx, user):
        raise InvalidInput(field, "BRAND is for users who own or staff a storefront.")


async def apply_for_verification(
    ctx: Context, *, requested_tier: CreatorTier, message: str, links: Sequence[str]
) -> VerificationApplication:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    await _check_tier(ctx, user, requested_tier, "input.requestedTier")
    cleaned_message, cleaned_links = check_message(message), check_links(links)
    profile = await ctx.loaders[profile_by_user].load(user.id)
    if profile is not None and profile.verified and profile.tier is requested_tier:
        raise Conflict(f"You are already verified as {requested_tier.name}.")
    try:
        async with in_transaction():  # its own (sub)transaction: the unique index decides
            return await VerificationApplication.create(
                user_id=user.id,
                pending_for=user.id,
                requested_tier=requested_tier,
                message=cleaned_message,
                links=cleaned_links,
            )
    except IntegrityError:
        raise Conflict("You already have a pending application; wait for its decision.") from None


async def _decide(ctx: Context, application_id: int) -> tuple[VerificationApplication, User]:
    """Move a PENDING application on; ConflictError when someone decided it first."""
    admin = require_decider(ctx)
    row = await target_application(ctx, application_id)
    if row.status is not VerificationStatus.PENDING:
        raise Conflict(f"This application was already {row.status.value}.")
    return row, admin


async def approve_verification(
    ctx: Context, *, application_id: int, tier: CreatorTier | None
) -> VerificationApplication:
    row, admin = await _decide(ctx, application_id)
    applicant = await ctx.loaders[user_by_id].load(row.user_id)
    assert applicant is not None  # the application cascades with its user
    granted = tier or row.requested_tier
    await _check_tier(ctx, applicant, granted, "tier")
    now = datetime.now(UTC)
    async with in_transaction():
        decided = await VerificationApplication.filter(
            id=row.id, status=VerificationStatus.PENDING
        ).update(
            status=VerificationStatus.APPROVED,
            pending_for=None,
            granted_tier=granted,
            decided_by_id=admin.id,
            decided_at=now,
        )
        if not decided:
            raise Conflict("This application was decided by someone else just now.")
        profile = await ensure_profile(applicant.id)
        await CreatorProfile.filter(id=profile.id).update(
            tier=granted, verified=True, verified_at=now
        )
    return await _reloaded(ctx, row)


async def reject_verification(
    ctx: Context, *, application_id: int, reason: str
) -> VerificationApplication:
    row, admin = await _decide(ctx, application_id)
    cleaned = check_reason(reason)
    decided = await VerificationApplication.filter(
        id=row.id, status=VerificationStatus.PENDING
    ).update(
        status=VerificationStatus.REJECTED,
        pending_for=None,
        decision_reason=cleaned,
        decided_by_id=admin.id,
        decided_at=datetime.now(UTC),
    )
    if not decided:
        raise Conflict("This application was decided by someone else just now.")
    return await _reloaded(ctx, row)


async def revoke_verification(ctx: Context, *, user_id: int, reason: str) -> User:
    """Take the badge back: unverified, tier KOC; the granting application becomes REVOKED."""
    admin = require_decider(ctx)
    cleaned = check_reason(reason)
    user = await ctx.loaders[user_by_id].load(user_id)
    if user is None:
        raise NotFound("User")
    now = datetime.now(UTC)
    async with in_transaction():
        revoked = await CreatorProfile.filter(user_id=user.id, verified=True).update(
            verified=False, verified_at=None, tier=CreatorTier.KOC
        )
        if not revoked:
            raise Conflict("This user has no verification badge.")
        granting = (
            await VerificationApplication.filter(
                user_id=user.id, status=VerificationStatus.APPROVED
            )
            .order_by("-id")
            .first()
        )
        if granting is not None:
            await VerificationApplication.filter(id=granting.id).update(
                status=VerificationStatus.REVOKED,
                decision_reason=cleaned,
                decided_by_id=admin.id,
                decided_at=now,
            )
            forget(ctx.loaders[application_by_id], granting.id)
    forget_profile(ctx, user.id)
    return user


async def _reloaded(ctx: Context, row: VerificationApplication) -> VerificationApplication:
    forget(ctx.loaders[application_by_id], row.id)
    forget_profile(ctx, row.user_id)
    fresh = await ctx.loaders[application_by_id].load(row.id)
    assert fresh is not None
    return fresh


async def list_applications(
    ctx: Context, *, status: VerificationStatus | None, args: PageArgs
) -> Page[VerificationApplication]:
    """The review queue, newest first: admins in person."""
    require_decider(ctx)
    query = VerificationApplication.all()
    if status is not None:
        query = query.filter(status=status)
    return await paginate_query(query, args)


async def user_applications(
    ctx: Context, *, user_id: int, args: PageArgs
) -> Page[VerificationApplication] | None:
    """A user's applications, newest first; None unless the caller is that user or an admin."""
    if not can_see_applications(ctx, user_id):
        return None
    return await paginate_query(VerificationApplication.filter(user_id=user_id), args)
