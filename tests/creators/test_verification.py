"""Verification: one pending application per user (also under concurrency), checked links and
tiers, admins' decisions, revocation, and who reads applications."""

from __future__ import annotations

import asyncio
from typing import Any

from models.accounts import Role
from models.creators import CreatorProfile, CreatorTier, VerificationApplication, VerificationStatus
from tests.creators.support import APPLY, applied, apply, approve, profile_of, update_profile
from tests.factories import MakeMerchant, SignIn
from tests.utils import GraphQLClient, gid

REJECT = """
mutation($id: ID!, $reason: String!) { rejectVerification(applicationId: $id, reason: $reason) {
  __typename ... on RejectVerificationSuccess { application { status decisionReason } }
  ... on ConflictError { message } ... on ValidationError { field } } }
"""
REVOKE = """
mutation($user: ID!, $reason: String!) { revokeVerification(userId: $user, reason: $reason) {
  __typename ... on RevokeVerificationSuccess { user { creatorProfile { tier verified } } }
  ... on ConflictError { message } } }
"""
MINE = """
query($handle: String!) { user(handle: $handle) {
  verificationApplications { totalCount edges { node { id status decisionReason } } } } }
"""
QUEUE = """
query($status: VerificationStatus) { verificationApplications(status: $status, first: 10) {
  totalCount edges { node { id status user { handle } } } } }
"""


async def test_a_user_has_one_pending_application_at_a_time(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    tom = await sign_in()
    first = await apply(gql, tom.token)
    assert first["__typename"] == "ApplyForVerificationSuccess", first
    assert first["application"]["status"] == "PENDING"
    assert first["application"]["links"] == ["https://example.com/me"]

    second = await apply(gql, tom.token)

    assert second["__typename"] == "ConflictError", second
    assert await VerificationApplication.filter(user_id=tom.user.id).count() == 1


async def test_concurrent_applications_leave_exactly_one(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    tom = await sign_in()
    results = await asyncio.gather(*(apply(gql, tom.token) for _ in range(4)))

    kinds = sorted(result["__typename"] for result in results)
    assert kinds == ["ApplyForVerificationSuccess"] + ["ConflictError"] * 3, results
    assert await VerificationApplication.filter(user_id=tom.user.id).count() == 1


async def test_bad_applications_are_validation_errors_and_change_nothing(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    tom = await sign_in()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"links": ["ftp://example.com/x"]}, "input.links"),
        ({"links": ["javascript:alert(1)"]}, "input.links"),
        ({"links": ["https://"]}, "input.links"),
        ({"links": ["https://example.com:99999/"]}, "input.links"),
        ({"links": [f"https://example.com/{n}" for n in range(6)]}, "input.links"),
        ({"message": "x" * 2001}, "input.message"),
        ({"tier": "KOC"}, "input.requestedTier"),
        ({"tier": "BRAND"}, "input.requestedTier"),  # no storefront
    ]
    for variables, field in cases:
        values: dict[str, Any] = {"tier": "KOL", "message": "hi", "links": []} | variables
        response = await gql.post(APPLY, values, token=tom.token)
        assert not response.errors, response.errors
        result = response.data["applyForVerification"]
        assert result["__typename"] == "ValidationError", (variables, result)
        assert result["field"] == field, variables
    assert await VerificationApplication.all().count() == 0


async def test_approval_verifies_with_the_tier_and_revocation_takes_it_back(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    tom, admin = await sign_in(), await sign_in(role=Role.ADMIN)
    await update_profile(gql, tom.token, headline="Trails")
    application = await applied(gql, tom.token)

    result = await approve(gql, admin.token, application)

    assert result["__typename"] == "ApproveVerificationSuccess", result
    assert result["application"]["status"] == "APPROVED"
    assert result["application"]["grantedTier"] == "KOL"
    profile = await profile_of(gql, tom.user.handle)
    assert (profile["tier"], profile["verified"], profile["headline"]) == ("KOL", True, "Trails")
    assert profile["verifiedAt"] is not None
    # decided once: a second decision is a conflict
    assert (await approve(gql, admin.token, application))["__typename"] == "ConflictError"
    again = await gql.data(REJECT, {"id": application, "reason": "no"}, token=admin.token)
    assert again["rejectVerification"]["__typename"] == "ConflictError"
    # the same badge again is a conflict; another one may be asked for
    assert (await apply(gql, tom.token))["__typename"] == "ConflictError"

    revoked = await gql.data(
        REVOKE, {"user": gid("User", tom.user.id), "reason": "Fake reviews"}, token=admin.token
    )

    assert revoked["revokeVerification"] == {
        "__typename": "RevokeVerificationSuccess",
        "user": {"creatorProfile": {"tier": "KOC", "verified": False}},
    }
    row = await VerificationApplication.get(user_id=tom.user.id)
    assert (row.status, row.decision_reason) == (VerificationStatus.REVOKED, "Fake reviews")
    assert (await profile_of(gql, tom.user.handle))["verifiedAt"] is None
    twice = await gql.data(
        REVOKE, {"user": gid("User", tom.user.id), "reason": "again"}, token=admin.token
    )
    assert twice["revokeVerification"]["__typename"] == "ConflictError"


async def test_approval_creates_the_profile_and_may_grant_another_tier(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant
) -> None:
    seller, admin = await sign_in(role=Role.MERCHANT), await sign_in(role=Role.ADMIN)
    shopper = await sign_in()
    await make_merchant(owner=seller.user)
    application = await applied(gql, seller.token, "BRAND")
    plain = await applied(gql, shopper.token, "KOL")

    # BRAND only for users who manage a storefront, checked again when granted
    refused = await approve(gql, admin.token, plain, "BRAND")
    assert refused["__typename"] == "ValidationError"
    assert refused["field"] == "tier"
    assert await CreatorProfile.filter(user_id=shopper.user.id).count() == 0

    result = await approve(gql, admin.token, application)

    assert result["application"]["grantedTier"] == "BRAND"
    profile = await CreatorProfile.get(user_id=seller.user.id)
    assert (profile.tier, profile.verified, profile.headline) == (CreatorTier.BRAND, True, "")


async def test_rejection_keeps_the_reason_and_lets_the_user_apply_again(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    tom, admin = await sign_in(), await sign_in(role=Role.ADMIN)
    application = await applied(gql, tom.token)
    empty = await gql.data(REJECT, {"id": application, "reason": "  "}, token=admin.token)
    assert empty["rejectVerification"] == {"__typename": "ValidationError", "field": "reason"}

    result = await gql.data(
        REJECT, {"id": application, "reason": "Links are not yours"}, token=admin.token
    )

    assert result["rejectVerification"]["application"] == {
        "status": "REJECTED",
        "decisionReason": "Links are not yours",
    }
    assert await profile_of(gql, tom.user.handle) is None  # rejection creates no profile
    assert (await apply(gql, tom.token))["__typename"] == "ApplyForVerificationSuccess"


async def test_applications_are_the_applicants_and_the_admins_alone(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    tom, other = await sign_in(), await sign_in()
    moderator, admin = await sign_in(role=Role.MODERATOR), await sign_in(role=Role.ADMIN)
    application = await applied(gql, tom.token)
    handle = {"handle": tom.user.handle}

    mine = await gql.data(MINE, handle, token=tom.token)
    assert mine["user"]["verificationApplications"]["edges"][0]["node"]["id"] == application
    assert (await gql.data(MINE, handle, token=admin.token))["user"]["verificationApplications"][
        "totalCount"
    ] == 1
    for token in (None, other.token, moderator.token):
        assert (await gql.data(MINE, handle, token=token))["user"][
            "verificationApplications"
        ] is None

    queue = await gql.data(QUEUE, {"status": "PENDING"}, token=admin.token)
    assert queue["verificationApplications"]["edges"] == [
        {"node": {"id": application, "status": "PENDING", "user": {"handle": tom.user.handle}}}
    ]
    assert (await gql.data(QUEUE, {"status": "APPROVED"}, token=admin.token))[
        "verificationApplications"
    ]["totalCount"] == 0
    for token in (None, tom.token, moderator.token):
        response = await gql.post(QUEUE, {}, token=token)
        assert response.codes == ["UNAUTHENTICATED" if token is None else "FORBIDDEN"]


async def test_concurrent_decisions_leave_exactly_one(gql: GraphQLClient, sign_in: SignIn) -> None:
    tom = await sign_in()
    admins = [await sign_in(role=Role.ADMIN) for _ in range(2)]
    application = await applied(gql, tom.token)

    approved, rejected = await asyncio.gather(
        approve(gql, admins[0].token, application),
        gql.data(REJECT, {"id": application, "reason": "No"}, token=admins[1].token),
    )

    # Either may win: exactly one decision succeeds and the other is told it came too late.
    kinds = [approved["__typename"], rejected["rejectVerification"]["__typename"]]
    assert kinds in (
        ["ApproveVerificationSuccess", "ConflictError"],
        ["ConflictError", "RejectVerificationSuccess"],
    ), (approved, rejected)
    row = await VerificationApplication.get(user_id=tom.user.id)
    profile = await CreatorProfile.filter(user_id=tom.user.id).first()
    if row.status is VerificationStatus.APPROVED:
        assert profile is not None
        assert profile.verified
    else:
        assert row.status is VerificationStatus.REJECTED
        assert profile is None
