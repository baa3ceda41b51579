"""Reactions: a user's LIKE or SAVE of a post, tutorial or comment.

A domain of its own rather than more of `social`: it shares no table, loader or rule with
follows and share links, and it is what comments, feeds and notifications will read (counts,
the viewer's flags), so it stays small and on its own.

One `reactions` table keyed by (kind, target kind, target id), like `follows`: a new target
is one enum value, not a table. There is no foreign key on `target_id`, so targets are checked
when the reaction is made (resolvers/reactions/targets.py). Posts and tutorials are archived
and comments soft-deleted, never removed, so no row points at nothing.

Counts are counted from these rows by grouped loaders (resolvers/reactions/loaders.py) rather
than kept in a counter column: they equal the rows by construction under any concurrency,
there is no second copy to repair, and a page of targets costs one index-only grouped count.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User


class ReactionKind(StrEnum):
    LIKE = "like"
    SAVE = "save"


class ReactionTargetKind(StrEnum):
    """What can be reacted to: each is one line here, one rule in
    resolvers/reactions/targets.py and one type in the schema's `Reactable` union."""

    POST = "post"
    TUTORIAL = "tutorial"
    COMMENT = "comment"


class Reaction(Model):
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reactions", on_delete=fields.OnDelete.CASCADE
    )
    kind = fields.CharEnumField(ReactionKind, max_length=8)
    target_kind = fields.CharEnumField(ReactionTargetKind, max_length=12)
    target_id = fields.BigIntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    user_id: int

    class Meta:
        table = "reactions"
        # One like and one save per user and target: what makes react idempotent. Also the
        # index of "has the viewer liked / saved these" (by its leading columns).
        unique_together = (("user", "kind", "target_kind", "target_id"),)
        indexes = (
            # Counts: one index-only grouped count per page of targets.
            ("target_kind", "target_id", "kind"),
            # The viewer's saved items, newest first (keyset on id).
            ("user_id", "kind", "id"),
        )
