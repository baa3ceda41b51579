"""Where a sale came from: a post, a tutorial, a creator or a share link (carts, orders)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class SourceType(StrEnum):
    POST = "post"
    TUTORIAL = "tutorial"
    CREATOR = "creator"
    SHARE_LINK = "share_link"


class Attributed(Model):
    """Attribution columns. `source_id` points at a post or tutorial once those domains exist."""

    source_type = fields.CharEnumField(SourceType, max_length=12, null=True)
    source_id = fields.BigIntField(null=True)
    creator: fields.ForeignKeyNullableRelation[Model] = fields.ForeignKeyField(
        "models.User", null=True, on_delete=fields.OnDelete.SET_NULL, related_name=False
    )
    share_code = fields.CharField(max_length=40, null=True)

    creator_id: int | None

    class Meta:
        abstract = True
