"""GraphQL shape of reactions: the kind enum, the `Reactable` union, react and unreact.

The reaction fields of Post, Tutorial and Comment (likeCount, saveCount, viewerHasLiked,
viewerHasSaved) and User.saved live on those types, which call `schema.reactions.fields`
lazily, as this package imports them.
"""

from __future__ import annotations

from schema.reactions.mutations import ReactionMutation
from schema.reactions.types import Reactable, ReactionKind, SavedItemConnection

__all__ = ["Reactable", "ReactionKind", "ReactionMutation", "SavedItemConnection"]
