"""GraphQL shape of posts and topics: Post, Topic, PostRevision, their queries and mutations.

User.posts lives on the User type (schema/accounts.py), which calls `user_posts` from here
lazily, as schema.content imports schema.accounts at load time.
"""

from __future__ import annotations

from schema.content.mutations import ContentMutation
from schema.content.queries import ContentQuery, PostFilter, user_posts
from schema.content.tagging import TagMutation
from schema.content.tags import ProductTag
from schema.content.types import Content, Post, PostRevision, PostSort, PostStatus, Topic, TopicSort

__all__ = [
    "Content",
    "ContentMutation",
    "ContentQuery",
    "Post",
    "PostFilter",
    "PostRevision",
    "PostSort",
    "PostStatus",
    "ProductTag",
    "TagMutation",
    "Topic",
    "TopicSort",
    "user_posts",
]
