"""Uploaded media: one row per object a user uploads straight to storage, and its variants."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class MediaVisibility(StrEnum):
    PUBLIC = "public"  # served through S3_PUBLIC_URL (a CDN) to anyone who sees what shows it
    PRIVATE = "private"  # its owner and admins only, through short-lived signed URLs


class MediaStatus(StrEnum):
    PENDING = "pending"  # the upload form is out; nothing checked yet
    PROCESSING = "processing"  # uploaded and checked; the worker is making variants
    READY = "ready"  # public, with its variants
    FAILED = "failed"  # not a usable file; the cleanup job removes it


class Media(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="media", on_delete=fields.OnDelete.CASCADE
    )
    kind = fields.CharEnumField(MediaKind, max_length=10)
    status = fields.CharEnumField(MediaStatus, max_length=10, default=MediaStatus.PENDING)
    visibility = fields.CharEnumField(
        MediaVisibility, max_length=10, default=MediaVisibility.PUBLIC
    )
    # Chosen by the server. While PENDING the staging key the upload form writes to; from
    # completeUpload the permanent key of the checked original, which no form can write.
    # Variants live beside it (`variants`).
    key = fields.CharField(max_length=200, unique=True)
    content_type = fields.CharField(max_length=100)
    # Declared at requestUpload (the policy's maximum), then the stored size once checked.
    byte_size = fields.BigIntField()
    filename = fields.CharField(max_length=200, default="")
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    # {name: {"key": ..., "width": ..., "height": ...}}, written by the worker.
    variants: dict[str, Any] = fields.JSONField(default=dict)
    failure = fields.CharField(max_length=200, default="")
    # The process_media run that holds the row (with updated_at as its lease): another run
    # stops without writing, so overlapping runs cannot orphan or delete each other's variants.
    processing_token = fields.CharField(max_length=32, default="")

    owner_id: int

    class Meta:
        table = "media"
        indexes = (("status", "created_at"),)
