"""Third-party apps a user installs, with scopes, and the API tokens issued for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User


class App(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="apps", on_delete=fields.OnDelete.CASCADE
    )
    name = fields.CharField(max_length=80)
    description = fields.CharField(max_length=500, default="")
    scopes: list[str] = fields.JSONField(default=list)

    tokens: fields.ReverseRelation[AppToken]
    owner_id: int

    class Meta:
        table = "apps"
        unique_together = (("owner", "name"),)


class AppToken(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    app: fields.ForeignKeyRelation[App] = fields.ForeignKeyField(
        "models.App", related_name="tokens", on_delete=fields.OnDelete.CASCADE
    )
    name = fields.CharField(max_length=80)
    # SHA-256 of the token; `hint` is its first characters, enough to tell tokens apart.
    token_hash = fields.CharField(max_length=64, unique=True)
    hint = fields.CharField(max_length=16)
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)

    app_id: int

    class Meta:
        table = "app_tokens"
