"""GraphQL shape of moderation: report, moderate, the queue and its items."""

from __future__ import annotations

from schema.moderation.mutations import ModerationMutation
from schema.moderation.queries import ModerationQuery
from schema.moderation.types import ModerationItem

__all__ = ["ModerationItem", "ModerationMutation", "ModerationQuery"]
