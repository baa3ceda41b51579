"""Content: posts written in Markdown, their revisions, the topics (hashtags) they carry, and
tutorials (ordered steps plus a parts list of products).

A post's `body` is the Markdown its author wrote; `body_html` is rendered and sanitised on every
write, so reads never render. A topic's `post_count` counts its published posts and is recounted,
under a lock on the topic rows, in every transaction that changes it (so it stays exact).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User
    from models.catalog import Product, Variant
    from models.media import Media


class PostStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Topic(Model):
    id = fields.BigIntField(primary_key=True)
    slug = fields.CharField(max_length=50, unique=True)  # the normalised tag: lowercase, NFKC
    name = fields.CharField(max_length=50)  # as first written (NFKC, case kept)
    post_count = fields.IntField(default=0, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "topics"


class Post(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="posts", on_delete=fields.OnDelete.CASCADE
    )
    # The community it is posted in (models/communities.py), if any. No foreign key: the
    # column came before the table; a community is never deleted while it has posts.
    community_id = fields.BigIntField(null=True, db_index=True)
    slug = fields.CharField(max_length=100, unique=True)
    title = fields.CharField(max_length=150)
    body = fields.TextField(default="")
    body_html = fields.TextField(default="")
    status = fields.CharEnumField(
        PostStatus, max_length=10, default=PostStatus.DRAFT, db_index=True
    )
    publish_at = fields.DatetimeField(null=True, db_index=True)  # SCHEDULED: when it goes out
    published_at = fields.DatetimeField(null=True)
    revision_count = fields.IntField(default=0)
    # Media row ids (models/media.py), the author's READY uploads; a deleted one is skipped
    # on read. The cover may also be in the gallery.
    cover_media_id = fields.BigIntField(null=True)
    media_ids: list[int] = fields.JSONField(default=list)  # the gallery, in display order
    # Hidden by a moderator (resolvers/moderation), apart from the author's status: only
    # its author and moderators see it until it is restored.
    hidden_at = fields.DatetimeField(null=True)
    hidden_by_id = fields.BigIntField(null=True)

    author_id: int

    class Meta:
        table = "posts"
        # Feeds (resolvers/feeds): published posts, newest published first, keyset on the id.
        indexes = (("status", "published_at", "id"),)


class PostTopic(Model):
    id = fields.BigIntField(primary_key=True)
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="post_topics", on_delete=fields.OnDelete.CASCADE
    )
    topic: fields.ForeignKeyRelation[Topic] = fields.ForeignKeyField(
        "models.Topic", related_name="post_topics", on_delete=fields.OnDelete.CASCADE
    )
    position = fields.SmallIntField(default=0)

    post_id: int
    topic_id: int

    class Meta:
        table = "post_topics"
        unique_together = (("post", "topic"),)


class PostRevision(Model):
    """The post's title, body and topics after one edit (number 1 is the post as created)."""

    id = fields.BigIntField(primary_key=True)
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="revisions", on_delete=fields.OnDelete.CASCADE
    )
    editor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", null=True, related_name="post_revisions", on_delete=fields.OnDelete.SET_NULL
    )
    number = fields.IntField()
    title = fields.CharField(max_length=150)
    body = fields.TextField(default="")
    topics: list[str] = fields.JSONField(default=list)  # topic slugs, in order
    restored_from = fields.IntField(null=True)  # the revision number it restored, if any
    cover_media_id = fields.BigIntField(null=True)
    media_ids: list[int] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    post_id: int
    editor_id: int | None

    class Meta:
        table = "post_revisions"
        unique_together = (("post", "number"),)


class TutorialStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Tutorial(TimestampedModel):
    """A how-to: a Markdown summary, ordered steps and a parts list that can go into a cart.

    Steps and parts are replaced wholesale on every edit that gives them; `step_count` is kept
    in the same transaction so listings need not count.
    """

    id = fields.BigIntField(primary_key=True)
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tutorials", on_delete=fields.OnDelete.CASCADE
    )
    slug = fields.CharField(max_length=100, unique=True)
    title = fields.CharField(max_length=150)
    summary = fields.TextField(default="")
    summary_html = fields.TextField(default="")
    # A media row id; no foreign key, as products and reviews keep theirs: a deleted media
    # simply stops showing (media are deleted by their uploader without asking what uses them).
    cover_media_id = fields.BigIntField(null=True)
    difficulty = fields.CharEnumField(Difficulty, max_length=6, default=Difficulty.EASY)
    duration_minutes = fields.IntField(default=1)
    status = fields.CharEnumField(
        TutorialStatus, max_length=10, default=TutorialStatus.DRAFT, db_index=True
    )
    published_at = fields.DatetimeField(null=True)
    step_count = fields.IntField(default=0)
    # Hidden by a moderator (resolvers/moderation), apart from the author's status: only
    # its author and moderators see it until it is restored.
    hidden_at = fields.DatetimeField(null=True)
    hidden_by_id = fields.BigIntField(null=True)

    author_id: int

    class Meta:
        table = "tutorials"


class TutorialStep(Model):
    id = fields.BigIntField(primary_key=True)
    tutorial: fields.ForeignKeyRelation[Tutorial] = fields.ForeignKeyField(
        "models.Tutorial", related_name="steps", on_delete=fields.OnDelete.CASCADE
    )
    position = fields.SmallIntField()
    title = fields.CharField(max_length=150, default="")
    body = fields.TextField(default="")
    body_html = fields.TextField(default="")
    media_ids: list[int] = fields.JSONField(default=list)
    # The products used in this step, in order: [{"product": id, "variant": id | null}].
    products: list[dict[str, int | None]] = fields.JSONField(default=list)

    tutorial_id: int

    class Meta:
        table = "tutorial_steps"
        unique_together = (("tutorial", "position"),)


class TutorialPart(Model):
    """One line of a tutorial's parts list. Product and variant are ids, not foreign keys: the
    list outlives a deleted product or variant, and shows it as missing."""

    id = fields.BigIntField(primary_key=True)
    tutorial: fields.ForeignKeyRelation[Tutorial] = fields.ForeignKeyField(
        "models.Tutorial", related_name="parts", on_delete=fields.OnDelete.CASCADE
    )
    position = fields.SmallIntField()
    product_id = fields.BigIntField()
    variant_id = fields.BigIntField(null=True)
    quantity = fields.SmallIntField(default=1)
    note = fields.CharField(max_length=200, default="")

    tutorial_id: int

    class Meta:
        table = "tutorial_parts"
        unique_together = (("tutorial", "position"),)


class TutorialProduct(Model):
    """Every product a tutorial uses (parts and steps), once: what `tutorials(filter:
    {productId})` joins on."""

    id = fields.BigIntField(primary_key=True)
    tutorial: fields.ForeignKeyRelation[Tutorial] = fields.ForeignKeyField(
        "models.Tutorial", related_name="used_products", on_delete=fields.OnDelete.CASCADE
    )
    product_id = fields.BigIntField(db_index=True)

    tutorial_id: int

    class Meta:
        table = "tutorial_products"
        unique_together = (("tutorial", "product_id"),)


class TagTarget(StrEnum):
    """What a shoppable tag's media is shown in; `target_id` is that row's id. A tutorial's
    tags belong to the tutorial, not to a step: steps are replaced wholesale on every edit (new
    rows), and a media item keeps its tags as long as one of the tutorial's steps shows it."""

    POST = "post"
    REVIEW = "review"
    TUTORIAL = "tutorial"


class ShoppableTag(Model):
    """A product (or one variant) tagged on one media item as shown in one post, review or
    tutorial step: a point on an image (x, y in 0..1 from the top left) or a moment of a video
    (at_seconds). The tags of one (target, media) are replaced together (setMediaTags)."""

    id = fields.BigIntField(primary_key=True)
    target_kind = fields.CharEnumField(TagTarget, max_length=20)
    # No foreign key: it points into the table `target_kind` names. Deleting a post deletes
    # its tags in the same transaction.
    target_id = fields.BigIntField()
    media: fields.ForeignKeyRelation[Media] = fields.ForeignKeyField(
        "models.Media", related_name="shoppable_tags", on_delete=fields.OnDelete.CASCADE
    )
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="shoppable_tags", on_delete=fields.OnDelete.CASCADE
    )
    variant: fields.ForeignKeyNullableRelation[Variant] = fields.ForeignKeyField(
        "models.Variant",
        null=True,
        related_name="shoppable_tags",
        on_delete=fields.OnDelete.SET_NULL,
    )
    x = fields.FloatField(null=True)
    y = fields.FloatField(null=True)
    at_seconds = fields.FloatField(null=True)
    position = fields.SmallIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    media_id: int
    product_id: int
    variant_id: int | None

    class Meta:
        table = "shoppable_tags"
        indexes = (("target_kind", "target_id", "media_id"), ("product_id", "target_kind"))
