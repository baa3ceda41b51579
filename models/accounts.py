"""Accounts: users with a role, and their sign-in sessions (opaque bearer tokens, hashed)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.apps import App


class Role(StrEnum):
    SHOPPER = "shopper"
    CREATOR = "creator"
    MERCHANT = "merchant"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    handle = fields.CharField(max_length=30, unique=True)
    display_name = fields.CharField(max_length=80)
    bio = fields.CharField(max_length=500, default="")
    role = fields.CharEnumField(Role, max_length=16, default=Role.SHOPPER)
    password_hash = fields.CharField(max_length=200)
    is_active = fields.BooleanField(default=True)

    sessions: fields.ReverseRelation[Session]
    apps: fields.ReverseRelation[App]

    class Meta:
        table = "users"


class Session(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.OnDelete.CASCADE
    )
    # SHA-256 of the bearer token; the token itself is shown once and never stored.
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)
    user_agent = fields.CharField(max_length=200, default="")

    user_id: int

    class Meta:
        table = "sessions"
