"""Creators: a user's creator profile (headline, categories, tier, verified badge) and their
applications for verification.

Everyone starts as a KOC (key opinion consumer); KOL and BRAND come only with an approved
application. At most one PENDING application per user is a database guarantee, not a check:
`pending_for` holds the applicant's id while the application is pending (NULL once decided),
under a unique index, so of two concurrent applications one insert fails.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User
    from models.catalog import Category


class CreatorTier(StrEnum):
    KOC = "koc"
    KOL = "kol"
    BRAND = "brand"


class VerificationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    REVOKED = "revoked"  # approved, then the badge was taken back


class CreatorProfile(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="creator_profile", on_delete=fields.OnDelete.CASCADE
    )
    headline = fields.CharField(max_length=120, default="")
    tier = fields.CharEnumField(CreatorTier, max_length=8, default=CreatorTier.KOC, db_index=True)
    verified = fields.BooleanField(default=False, db_index=True)
    verified_at = fields.DatetimeField(null=True)

    user_id: int

    class Meta:
        table = "creator_profiles"


class CreatorCategory(Model):
    """One of a creator's categories (at most 5), keyed by user so listings filter in one join."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="creator_categories", on_delete=fields.OnDelete.CASCADE
    )
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="creator_categories", on_delete=fields.OnDelete.CASCADE
    )
    position = fields.SmallIntField(default=0)

    user_id: int
    category_id: int

    class Meta:
        table = "creator_categories"
        unique_together = (("user", "category"),)


class VerificationApplication(Model):
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="verification_applications", on_delete=fields.OnDelete.CASCADE
    )
    # The applicant's id while PENDING, NULL after: the unique index allows one pending each.
    pending_for = fields.BigIntField(null=True, unique=True)
    requested_tier = fields.CharEnumField(CreatorTier, max_length=8)
    message = fields.TextField(default="")
    links: list[str] = fields.JSONField(default=list)
    status = fields.CharEnumField(
        VerificationStatus, max_length=10, default=VerificationStatus.PENDING, db_index=True
    )
    granted_tier = fields.CharEnumField(CreatorTier, max_length=8, null=True)
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User",
        null=True,
        related_name="verification_decisions",
        on_delete=fields.OnDelete.SET_NULL,
    )
    decided_at = fields.DatetimeField(null=True)
    decision_reason = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    user_id: int
    decided_by_id: int | None

    class Meta:
        table = "verification_applications"
