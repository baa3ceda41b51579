"""Demo creator profiles: a verified KOL, KOCs with a pending application, a brand account."""

from __future__ import annotations

from datetime import UTC, datetime

from models.accounts import User
from models.catalog import Category
from models.creators import (
    CreatorCategory,
    CreatorProfile,
    CreatorTier,
    VerificationApplication,
    VerificationStatus,
)

# handle: (headline, category slugs, tier, verified, pending application's tier or None)
DEMO_CREATORS: dict[str, tuple[str, list[str], CreatorTier, bool, CreatorTier | None]] = {
    "chef_ana": (
        "Weeknight recipes, tea pairings",
        ["kitchen", "tea"],
        CreatorTier.KOL,
        True,
        None,
    ),
    "trail_tom": (
        "Trail-tested gear, honest notes",
        ["camping"],
        CreatorTier.KOC,
        False,
        CreatorTier.KOL,
    ),
    "teahouse": ("Lin's Tea House, growers since 1962", ["tea"], CreatorTier.BRAND, True, None),
    "shopper_2": ("I review what I brew", ["tea"], CreatorTier.KOC, False, None),
}


async def seed_creators_demo() -> None:
    """The demo profiles; nothing when profiles exist."""
    if await CreatorProfile.exists():
        return
    users = dict(await User.filter(handle__in=list(DEMO_CREATORS)).values_list("handle", "id"))
    slugs = {slug for _, wanted, *_ in DEMO_CREATORS.values() for slug in wanted}
    categories = dict(await Category.filter(slug__in=list(slugs)).values_list("slug", "id"))
    now = datetime.now(UTC)
    for handle, (headline, wanted, tier, verified, pending) in DEMO_CREATORS.items():
        if handle not in users:
            continue
        user_id = int(users[handle])
        await CreatorProfile.create(
            user_id=user_id,
            headline=headline,
            tier=tier,
            verified=verified,
            verified_at=now if verified else None,
        )
        await CreatorCategory.bulk_create(
            [
                CreatorCategory(user_id=user_id, category_id=categories[slug], position=n)
                for n, slug in enumerate(wanted)
                if slug in categories
            ]
        )
        if verified:  # the application that granted the badge
            await VerificationApplication.create(
                user_id=user_id,
                requested_tier=tier,
                message="Demo: verified at launch.",
                status=VerificationStatus.APPROVED,
                granted_tier=tier,
                decided_at=now,
            )
        if pending is not None:
            await VerificationApplication.create(
                user_id=user_id,
                pending_for=user_id,
                requested_tier=pending,
                message="Three years of trail reviews; links below.",
                links=["https://trails.example/tom"],
            )
