"""GraphQL shape of creators: CreatorProfile, VerificationApplication, their queries and
mutations.

User.creatorProfile and User.verificationApplications live on the User type
(schema/accounts.py), which calls `user_creator_profile` and `user_verification_applications`
from here lazily, as schema.creators imports schema.accounts at load time.
"""

from __future__ import annotations

from schema.creators.mutations import CreatorMutation
from schema.creators.queries import (
    CreatorFilter,
    CreatorQuery,
    user_creator_profile,
    user_verification_applications,
)
from schema.creators.types import (
    CreatorProfile,
    CreatorTier,
    VerificationApplication,
    VerificationStatus,
)

__all__ = [
    "CreatorFilter",
    "CreatorMutation",
    "CreatorProfile",
    "CreatorQuery",
    "CreatorTier",
    "VerificationApplication",
    "VerificationStatus",
    "user_creator_profile",
    "user_verification_applications",
]
