"""GraphQL shape of comments: Comment, the target union, the mutations.

The comment fields of Post, Tutorial, Review and Product (`comments`, `commentCount`) live on
those types, which call `schema.comments.fields` lazily, as this package imports them.
"""

from __future__ import annotations

from schema.comments.mutations import CommentMutation
from schema.comments.types import Comment, CommentSort, CommentTarget

__all__ = ["Comment", "CommentMutation", "CommentSort", "CommentTarget"]
