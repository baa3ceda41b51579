"""Posts and topics: Markdown posts with revisions, scheduled publishing, hashtag topics.

Visibility: PUBLISHED posts are public; drafts, scheduled and archived posts only their author
and admins see, on every path (see access.py). Topics are created on first use and count their
published posts exactly (writing.recount_topics).
"""

from __future__ import annotations

from resolvers.content.access import visible_post_revisions, visible_posts, visible_topics
from resolvers.content.checks import clean_html, render_markdown
from resolvers.content.demo import seed_content_demo
from resolvers.content.reading import (
    PostOrder,
    TopicOrder,
    list_posts,
    list_topics,
    post_revisions,
    post_with_slug,
    topic_posts,
    topic_with_slug,
    user_posts,
)
from resolvers.content.writing import (
    archive_post,
    create_post,
    delete_post,
    publish_due_posts,
    publish_post,
    restore_post_revision,
    update_post,
)

__all__ = [
    "PostOrder",
    "TopicOrder",
    "archive_post",
    "clean_html",
    "create_post",
    "delete_post",
    "list_posts",
    "list_topics",
    "post_revisions",
    "post_with_slug",
    "publish_due_posts",
    "publish_post",
    "render_markdown",
    "restore_post_revision",
    "seed_content_demo",
    "topic_posts",
    "topic_with_slug",
    "update_post",
    "user_posts",
    "visible_post_revisions",
    "visible_posts",
    "visible_topics",
]
