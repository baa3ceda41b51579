"""The authorization matrix: every creator mutation x every kind of caller (tests/authz.py).

The owner is the world's buyer: any signed-in user edits their own profile and applies for
verification (apps: write:content). Decisions are the admins' alone, in person: everyone else,
moderators and every app included, gets FORBIDDEN. The scene adds a pending application of a
fresh applicant and a verified seller to decide on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.creators import (
    CreatorCategory,
    CreatorProfile,
    CreatorTier,
    VerificationApplication,
    VerificationStatus,
)
from resolvers.principal import Scope
from schema.creators import CreatorMutation
from tests.authz import FORBIDDEN, Actor, Matrix, World, row
from tests.creators.support import applied
from tests.utils import gid


async def _scene(w: World) -> None:
    applicant = await w.sign_in()
    application = await applied(w.gql, applicant.token)
    now = datetime.now(UTC)
    await CreatorProfile.create(
        user_id=w.seller.user.id, tier=CreatorTier.BRAND, verified=True, verified_at=now
    )
    await VerificationApplication.create(
        user_id=w.seller.user.id,
        requested_tier=CreatorTier.BRAND,
        status=VerificationStatus.APPROVED,
        granted_tier=CreatorTier.BRAND,
        decided_at=now,
    )
    w.scene.update(applicant=applicant.user.id, application=application)


async def _snapshot(w: World) -> Any:
    """The owner's, the applicant's and the verified seller's profiles and applications."""
    users = [w.buyer.user.id, w.seller.user.id, w.scene["applicant"]]
    profiles = CreatorProfile.filter(user_id__in=users).order_by("user_id")
    applications = VerificationApplication.filter(user_id__in=users).order_by("id")
    return (
        await profiles.values_list("user_id", "headline", "tier", "verified", "verified_at"),
        await CreatorCategory.filter(user_id__in=users).values_list("user_id", "category_id"),
        await applications.values_list("id", "status", "pending_for", "granted_tier", "decided_at"),
    )


def _application(w: World) -> dict[str, Any]:
    return {"id": w.scene["application"]}


def _verified(w: World) -> dict[str, Any]:
    return {"user": gid("User", w.seller.user.id)}


SIGNED_IN: list[Actor] = ["other_user", "other_merchant", "owner", "moderator", "admin"]
ADMINS_ONLY: dict[str, Any] = {"allowed": ["admin"], "refusal": FORBIDDEN, "scope": None}

MATRIX = Matrix(
    domain=[CreatorMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(
            "updateCreatorProfile",
            'mutation { updateCreatorProfile(headline: "Mine") { __typename } }',
            None,
            allowed=SIGNED_IN,
            success="UpdateCreatorProfileSuccess",
            own_only=True,
            scope=Scope.WRITE_CONTENT,
        ),
        row(
            "applyForVerification",
            "mutation { applyForVerification(input: {requestedTier: KOL}) { __typename } }",
            None,
            allowed=SIGNED_IN,
            success="ApplyForVerificationSuccess",
            own_only=True,
            scope=Scope.WRITE_CONTENT,
        ),
        row(
            "approveVerification",
            "mutation($id: ID!) { approveVerification(applicationId: $id) { __typename } }",
            _application,
            success="ApproveVerificationSuccess",
            **ADMINS_ONLY,
        ),
        row(
            "rejectVerification",
            'mutation($id: ID!) { rejectVerification(applicationId: $id, reason: "No") '
            "{ __typename } }",
            _application,
            success="RejectVerificationSuccess",
            **ADMINS_ONLY,
        ),
        row(
            "revokeVerification",
            'mutation($user: ID!) { revokeVerification(userId: $user, reason: "Fake") '
            "{ __typename } }",
            _verified,
            success="RevokeVerificationSuccess",
            **ADMINS_ONLY,
        ),
    ],
)
test_every_creator_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
