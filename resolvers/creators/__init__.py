"""Creators: profiles (headline, categories, tier, verified badge) and verification.

Everyone is a KOC; KOL and BRAND come with an approved application (BRAND needs a storefront
the user owns or staffs). Applications are their applicant's and the admins' alone; only admins
decide, in person (see access.py). Profiles are public, through `User.creatorProfile`.
"""

from __future__ import annotations

from resolvers.creators.access import visible_verification_applications
from resolvers.creators.demo import seed_creators_demo
from resolvers.creators.profiles import list_creators, update_creator_profile
from resolvers.creators.verification import (
    apply_for_verification,
    approve_verification,
    list_applications,
    reject_verification,
    revoke_verification,
    user_applications,
)

__all__ = [
    "apply_for_verification",
    "approve_verification",
    "list_applications",
    "list_creators",
    "reject_verification",
    "revoke_verification",
    "seed_creators_demo",
    "update_creator_profile",
    "user_applications",
    "visible_verification_applications",
]
