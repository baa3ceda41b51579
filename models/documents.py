"""Trusted documents: GraphQL operations registered ahead of time and run by id."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User


class TrustedDocument(TimestampedModel):
    # "sha256:<hex of the body>": content-addressed, so a document never changes under its id.
    id = fields.CharField(max_length=71, primary_key=True)
    body = fields.TextField()
    registered_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", null=True, on_delete=fields.OnDelete.SET_NULL, related_name="+"
    )

    registered_by_id: int | None

    class Meta:
        table = "trusted_documents"
