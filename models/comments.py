"""Comments: threaded discussion on posts, tutorials, reviews and products, and @mentions.

One `comments` table for every kind of target, keyed by (kind, id) like follows
(models/social.py says why one table): a thread page asks "the top-level comments of this",
one index scan whatever the kind. No foreign key on `target_id`: the target is checked when the
comment is made, and its domain decides on every read whether the caller may see it.

A reply points at its `parent` and carries its `depth` (0 for top-level) so the depth cap is
checked without walking the chain. Deleting is soft (`deleted_at`): the row stays so its
replies keep their place, while the API hides its body, author and mentions. Counts are
counted from the rows (resolvers/comments/loaders.py), so they equal the rows under any
concurrency.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User


class CommentTargetKind(StrEnum):
    POST = "post"
    TUTORIAL = "tutorial"
    REVIEW = "review"
    PRODUCT = "product"


class Comment(Model):
    id = fields.BigIntField(primary_key=True)
    target_kind = fields.CharEnumField(CommentTargetKind, max_length=12)
    target_id = fields.BigIntField()
    # Users are deactivated, never deleted; the API shows a deactivated author as null.
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="comments", on_delete=fields.OnDelete.CASCADE
    )
    parent: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "models.Comment", null=True, related_name="replies", on_delete=fields.OnDelete.CASCADE
    )
    depth = fields.SmallIntField(default=0)
    body = fields.TextField()  # the Markdown written; kept after a soft delete, never shown
    body_html = fields.TextField()  # rendered and sanitised on every write
    created_at = fields.DatetimeField(auto_now_add=True)
    edited_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    deleted_by_id = fields.BigIntField(null=True)  # who deleted it: the author or staff
    # Hidden by a moderator (resolvers/moderation): left out of threads and counts for all but
    # its author and moderators until restored.
    hidden_at = fields.DatetimeField(null=True)
    hidden_by_id = fields.BigIntField(null=True)

    author_id: int
    parent_id: int | None

    class Meta:
        table = "comments"
        indexes = (
            # A target's comments (top-level ones by parent_id IS NULL) and their counts.
            ("target_kind", "target_id", "parent_id", "id"),
            # A comment's replies, oldest first, and their counts.
            ("parent_id", "id"),
        )


class CommentMention(Model):
    """A user named by `@handle` in a comment's body: one row per (comment, user)."""

    id = fields.BigIntField(primary_key=True)
    comment: fields.ForeignKeyRelation[Comment] = fields.ForeignKeyField(
        "models.Comment", related_name="mentions", on_delete=fields.OnDelete.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="comment_mentions", on_delete=fields.OnDelete.CASCADE
    )
    position = fields.SmallIntField(default=0)  # the order the body names them in
    created_at = fields.DatetimeField(auto_now_add=True)

    comment_id: int
    user_id: int

    class Meta:
        table = "comment_mentions"
        # Also "who does this comment mention" (by its leading column).
        unique_together = (("comment", "user"),)
        # "Where was this user mentioned": for the notifications to come.
        indexes = (("user_id", "id"),)
