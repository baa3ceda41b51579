"""Comments: threaded discussion on posts, tutorials, reviews and products.

Top-level comments and replies down to depth 3 (checks.MAX_DEPTH), Markdown bodies rendered
and sanitised as posts', @mentions kept as rows (mentions.sync_mentions, for the notifications
to come), soft delete that keeps the thread. Who sees a comment is who sees its target
(access.py); counts are counted from the rows (loaders.py).
"""

from __future__ import annotations

from resolvers.comments.access import CommentTarget, comment_targets, visible_comments
from resolvers.comments.checks import BODY_MAX, MAX_DEPTH
from resolvers.comments.demo import seed_comments_demo
from resolvers.comments.mentions import sync_mentions
from resolvers.comments.reading import (
    CommentOrder,
    comment_mentions,
    comment_replies,
    target_comments,
)
from resolvers.comments.writing import add_comment, delete_comment, edit_comment

__all__ = [
    "BODY_MAX",
    "MAX_DEPTH",
    "CommentOrder",
    "CommentTarget",
    "add_comment",
    "comment_mentions",
    "comment_replies",
    "comment_targets",
    "delete_comment",
    "edit_comment",
    "seed_comments_demo",
    "sync_mentions",
    "target_comments",
    "visible_comments",
]
