"""Posts and topics: Markdown posts with revisions, scheduled publishing, hashtag topics;
tutorials: steps and a parts list of products (tutorial_*.py).

Visibility: PUBLISHED posts are public; drafts, scheduled and archived posts only their author
and admins see, on every path (see access.py). Topics are created on first use and count their
published posts exactly (writing.recount_topics). Posts show a cover and a gallery of their
author's media, on which authors pin products (tags.py: shoppable tags, also on reviews' media;
shoppable.py reads them).
"""

from __future__ import annotations

# First, before anything that imports the catalog: it reaches resolvers.carts, whose
# attribution checks import these from this package while it is still loading.
from resolvers.content.access import visible_post_revisions, visible_posts, visible_topics
from resolvers.content.access import visible_to as posts_visible_to
from resolvers.content.tutorial_access import tutorials_visible_to, visible_tutorials

# isort: split
from resolvers.content.checks import clean_html, render_markdown
from resolvers.content.demo import seed_content_demo
from resolvers.content.mentions import mentioned_in
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
from resolvers.content.shoppable import (
    any_unavailable,
    post_tags,
    review_tags,
    step_tags,
    tagged_product_ids,
    tutorial_refs,
)
from resolvers.content.slugs import free_slug
from resolvers.content.tags import MAX_TAGS_PER_MEDIA, TagSpec, set_media_tags
from resolvers.content.tutorial_checks import PartSpec, ProductRef, StepSpec
from resolvers.content.tutorial_parts import (
    PartCheck,
    PartIssue,
    check_parts_now,
    judge,
    tutorial_contents,
)
from resolvers.content.tutorial_reading import (
    TutorialOrder,
    list_tutorials,
    tutorial_with_slug,
    user_tutorials,
)
from resolvers.content.tutorial_writing import (
    TutorialChanges,
    archive_tutorial,
    create_tutorial,
    delete_tutorial,
    publish_tutorial,
    update_tutorial,
)
from resolvers.content.writing import (
    archive_post,
    create_post,
    delete_post,
    insert_post,
    publish_due_posts,
    publish_post,
    publish_row,
    recount_community_topics,
    recount_post_topics,
    restore_post_revision,
    update_post,
)

__all__ = [
    "MAX_TAGS_PER_MEDIA",
    "PartCheck",
    "PartIssue",
    "PartSpec",
    "PostOrder",
    "ProductRef",
    "StepSpec",
    "TagSpec",
    "TopicOrder",
    "TutorialChanges",
    "TutorialOrder",
    "any_unavailable",
    "archive_post",
    "archive_tutorial",
    "check_parts_now",
    "clean_html",
    "create_post",
    "create_tutorial",
    "delete_post",
    "delete_tutorial",
    "free_slug",
    "insert_post",
    "judge",
    "list_posts",
    "list_topics",
    "list_tutorials",
    "mentioned_in",
    "post_revisions",
    "post_tags",
    "post_with_slug",
    "posts_visible_to",
    "publish_due_posts",
    "publish_post",
    "publish_row",
    "publish_tutorial",
    "recount_community_topics",
    "recount_post_topics",
    "render_markdown",
    "restore_post_revision",
    "review_tags",
    "seed_content_demo",
    "set_media_tags",
    "step_tags",
    "tagged_product_ids",
    "topic_posts",
    "topic_with_slug",
    "tutorial_contents",
    "tutorial_refs",
    "tutorial_with_slug",
    "tutorials_visible_to",
    "update_post",
    "update_tutorial",
    "user_posts",
    "user_tutorials",
    "visible_post_revisions",
    "visible_posts",
    "visible_topics",
    "visible_tutorials",
]
