"""GraphQL shape of posts and topics: Post, Topic, PostRevision, their queries and mutations.

User.posts lives on the User type (schema/accounts.py), which calls `user_posts` from here
lazily, as schema.content imports schema.accounts at load time.
"""

from __future__ import annotations

from schema.content.mutations import ContentMutation
from schema.content.queries import ContentQuery, PostFilter, user_posts
from schema.content.tagging import TagMutation
from schema.content.tags import ProductTag
from schema.content.tutorial_mutations import TutorialMutation
from schema.content.tutorial_queries import TutorialFilter, TutorialQuery, user_tutorials
from schema.content.tutorials import (
    Difficulty,
    Tutorial,
    TutorialPart,
    TutorialSort,
    TutorialStatus,
    TutorialStep,
    content_node,
)
from schema.content.types import Content, Post, PostRevision, PostSort, PostStatus, Topic, TopicSort

__all__ = [
    "Content",
    "ContentMutation",
    "ContentQuery",
    "Difficulty",
    "Post",
    "PostFilter",
    "PostRevision",
    "PostSort",
    "PostStatus",
    "ProductTag",
    "TagMutation",
    "Topic",
    "TopicSort",
    "Tutorial",
    "TutorialFilter",
    "TutorialMutation",
    "TutorialPart",
    "TutorialQuery",
    "TutorialSort",
    "TutorialStatus",
    "TutorialStep",
    "content_node",
    "user_posts",
    "user_tutorials",
]
