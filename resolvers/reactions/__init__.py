"""Reactions: likes and saves of posts, tutorials and comments.

A reaction is a row of one `reactions` table keyed by (user, kind, target kind, target id);
react and unreact are idempotent, counts are counted from the rows by grouped loaders (exact
under any concurrency), and the viewer's saves are a keyset-paged list, newest first.
"""

from __future__ import annotations

from resolvers.reactions.demo import seed_reactions_demo
from resolvers.reactions.reacting import SavedPage, react, saved_items, unreact
from resolvers.reactions.targets import ReactionTarget

__all__ = [
    "ReactionTarget",
    "SavedPage",
    "react",
    "saved_items",
    "seed_reactions_demo",
    "unreact",
]
