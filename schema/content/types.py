"""The content object types and enums: Post, Topic, PostRevision, statuses and sorts."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.content import Post as PostModel
from models.content import PostRevision as PostRevisionModel
from models.content import PostStatus as PostStatusModel
from models.content import Topic as TopicModel
from resolvers import content
from resolvers.content.loaders import topics_by_post
from schema.accounts import User
from schema.base import Info, decode_id, describe_values
from schema.catalog.types import Product
from schema.content.tags import ProductTag, tag_list
from schema.media import Media, media_list
from schema.nodes import VisibleNode, build_each
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection

if TYPE_CHECKING:
    from schema.comments import Comment, CommentSort
    from schema.communities import Community

PostStatus = strawberry.enum(
    PostStatusModel,
    name="PostStatus",
    description="Where a post is in its life. Only PUBLISHED posts are seen by everyone; the "
    "others only by their author and admins.",
)
describe_values(
    PostStatus,
    {
        "DRAFT": "Being written; only its author and admins see it.",
        "SCHEDULED": "Goes out at `publishAt` (the worker publishes it within a minute); until "
        "then only its author and admins see it.",
        "PUBLISHED": "Out: everyone sees it, and its topics count it.",
        "ARCHIVED": "Taken down by its author; only its author and admins see it.",
    },
)


@strawberry.enum(description="How to order posts; ties go to the newest.")
class PostSort(Enum):
    NEWEST = "newest"
    OLDEST = "oldest"

    @property
    def order(self) -> content.PostOrder:
        return content.PostOrder(self.value)


describe_values(
    PostSort,
    {"NEWEST": "Most recently created first.", "OLDEST": "Earliest created first."},
)


@strawberry.enum(description="How to order topics.")
class TopicSort(Enum):
    NAME = "name"
    POST_COUNT = "post_count"

    @property
    def order(self) -> content.TopicOrder:
        return content.TopicOrder(self.value)


describe_values(
    TopicSort,
    {
        "NAME": "By slug, A to Z.",
        "POST_COUNT": "Most published posts first; ties go to the newest topic.",
    },
)


@strawberry.type(
    description="A hashtag-like topic, created the first time a post uses it. Its slug is the "
    "name normalised: NFKC, lowercase, letters, digits and underscores, at most 50 characters. "
    "Until a published post carries it, only the authors of the posts that do, and admins, see it."
)
class Topic(VisibleNode):
    id: relay.NodeID[int]
    slug: str = strawberry.field(description="The normalised name, unique, e.g. `matcha`.")
    name: str = strawberry.field(description="The name as first written, e.g. `Matcha`.")
    post_count: int = strawberry.field(
        description="How many published posts everyone may read carry it (posts of "
        "private communities are not counted); exact after every change."
    )
    created_at: datetime = strawberry.field(description="When a post first used it.")
    row: strawberry.Private[TopicModel]

    @classmethod
    def from_model(cls, row: TopicModel) -> Self:
        return cls(
            id=row.id,
            slug=row.slug,
            name=row.name,
            post_count=row.post_count,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await content.visible_topics(info.context, ids), cls.from_model)

    @strawberry.field(description="How many users follow it; exact.")
    async def follower_count(self, info: Info) -> int:
        from schema.social import profile  # it imports this module

        return await profile.count_followers(info, profile.TOPIC, self.row.id)

    @strawberry.field(description="Whether you follow it; false when signed out.")
    async def viewer_follows(self, info: Info) -> bool:
        from schema.social import profile

        return await profile.viewer_follows_target(info, profile.TOPIC, self.row.id)

    @strawberry.field(description="Who follows it, most recent follow first.")
    async def followers(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        from schema.social import profile

        return await profile.followers(
            info, profile.TOPIC, self.row.id, (first, after, last, before)
        )

    @strawberry.field(description="The topic page: its published posts, newest first.")
    async def posts(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Post]:
        page = await content.topic_posts(
            info.context, topic_id=self.row.id, args=page_args(first, after, last, before)
        )
        return to_connection(page, Post.from_model)


@strawberry.interface(
    description="Writing that sells: a post or a tutorial. What a product's `mentionedIn` "
    "lists; ask for the rest with `... on Post` and `... on Tutorial`."
)
class Content(relay.Node):
    slug: str = strawberry.field(description="Unique, URL-safe, never changes.")
    title: str = strawberry.field(description="Plain text, one line.")
    published_at: datetime | None = strawberry.field(
        description="When it was (last) published; null if never."
    )
    created_at: datetime = strawberry.field(description="When it was created.")

    @strawberry.field(description="Who wrote it; null if that account is deactivated.")
    async def author(self, info: Info) -> User | None:
        raise NotImplementedError

    @strawberry.field(description="The cover image or video, if any.")
    async def cover(self, info: Info) -> Media | None:
        raise NotImplementedError

    @strawberry.field(
        description="The products it sells, each once: a post's tags; a tutorial's parts, "
        "steps' products and tags."
    )
    async def products(self, info: Info) -> list[Product]:
        raise NotImplementedError

    @strawberry.field(
        description="True when a tagged product is archived or no longer on sale, or out of "
        "stock (no variant in stock, or none of the tagged variant)."
    )
    async def has_unavailable_products(self, info: Info) -> bool:
        raise NotImplementedError


@strawberry.type(
    description="A post: a title and a Markdown body (rendered as sanitised HTML in `bodyHtml`) "
    "by any user, with topics. Drafts, scheduled and archived posts are seen only by their "
    "author and admins."
)
class Post(Content, VisibleNode):
    id: relay.NodeID[int]
    slug: str = strawberry.field(
        description="Unique, made from the title when the post is created; it never changes, "
        "so links keep working."
    )
    title: str = strawberry.field(description="Plain text, one line, at most 150 characters.")
    body: str = strawberry.field(description="The Markdown the author wrote.")
    body_html: str = strawberry.field(
        description="`body` rendered (CommonMark, tables, strikethrough) and sanitised: no "
        "scripts, event handlers or styles; links and images only http(s) (links mailto too). "
        "Raw HTML in the Markdown is shown as text."
    )
    status: PostStatus = strawberry.field(  # type: ignore[valid-type]
        description="DRAFT, SCHEDULED, PUBLISHED or ARCHIVED."
    )
    publish_at: datetime | None = strawberry.field(
        description="When a SCHEDULED post goes out; null otherwise."
    )
    published_at: datetime | None = strawberry.field(
        description="When it was (last) published; null if never."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    revision_count: int = strawberry.field(
        description="How many revisions it has: one per edit, the first the post as created."
    )
    row: strawberry.Private[PostModel]

    @classmethod
    def from_model(cls, row: PostModel) -> Self:
        return cls(
            id=row.id,
            slug=row.slug,
            title=row.title,
            body=row.body,
            body_html=row.body_html,
            status=row.status,
            publish_at=row.publish_at,
            published_at=row.published_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            revision_count=row.revision_count,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await content.visible_posts(info.context, ids), cls.from_model)

    @strawberry.field(description="Who wrote it; null if that account is deactivated.")
    async def author(self, info: Info) -> User | None:
        return await User.related(info, self.row.author_id)

    @strawberry.field(
        description="The community it is posted in, if any; null also when you may not see "
        "that community."
    )
    async def community(
        self, info: Info
    ) -> Annotated[Community, strawberry.lazy("schema.communities")] | None:
        if self.row.community_id is None:
            return None
        from schema.communities import Community  # it imports this module

        return await Community.load_one(info, self.row.community_id)

    @strawberry.field(description="Its topics, in the order the author gave them.")
    async def topics(self, info: Info) -> list[Topic]:
        rows = await info.context.loaders[topics_by_post].load(self.row.id)
        return [Topic.from_model(row) for row in rows]

    @strawberry.field(description="The cover image or video, if any (READY media only).")
    async def cover(self, info: Info) -> Media | None:
        if self.row.cover_media_id is None:
            return None
        found = await media_list(info, [self.row.cover_media_id])
        return found[0] if found else None

    @strawberry.field(
        description="The gallery: up to 20 images and videos, in display order. Media deleted "
        "by their uploader drop out."
    )
    async def media(self, info: Info) -> list[Media]:
        return await media_list(info, list(self.row.media_ids))

    @strawberry.field(
        description="Its shoppable tags: the cover's first, then each gallery item's in gallery "
        "order, each item's in its own order. Group them by `media { id }` to pin them on the "
        "images. Set them with `setMediaTags`."
    )
    async def tags(
        self,
        info: Info,
        media_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only the tags on this media item (a Media id)."),
        ] = None,
    ) -> list[ProductTag]:
        rows = await content.post_tags(info.context, self.row)
        if media_id is not None:
            wanted = decode_id(media_id, "Media", field="mediaId")
            rows = [row for row in rows if row.media_id == wanted]
        return tag_list(rows)

    @strawberry.field(
        description="The products it tags, each once, in the order first tagged; products you "
        "may not see (archived, back to draft) are left out."
    )
    async def products(self, info: Info) -> list[Product]:
        ids = content.tagged_product_ids(await content.post_tags(info.context, self.row))
        return [found for found in await Product.load_visible(info, ids) if found is not None]

    @strawberry.field(
        description="True when a tagged product is archived, back to draft (not on sale), or "
        "out of stock: no variant in stock, or none of the tagged variant. The same for "
        "everyone."
    )
    async def has_unavailable_products(self, info: Info) -> bool:
        return await content.any_unavailable(
            info.context, await content.post_tags(info.context, self.row)
        )

    @strawberry.field(
        description="Every revision, newest first; restore one with `restorePostRevision`. "
        "Null unless you are the author (apps need read:content) or an admin."
    )
    async def revisions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PostRevision] | None:
        page = await content.post_revisions(
            info.context, self.row, page_args(first, after, last, before)
        )
        return None if page is None else to_connection(page, PostRevision.from_model)

    @strawberry.field(
        description="How many comments it has, replies included and deleted ones not; exact."
    )
    async def comment_count(self, info: Info) -> int:
        from schema.comments import fields  # it imports this module

        return await fields.count(info, fields.POST, self.row.id)

    @strawberry.field(
        description="Its top-level comments, newest first unless `sort` says OLDEST; each "
        "carries its `replies`."
    )
    async def comments(
        self,
        info: Info,
        sort: Annotated[
            Annotated[CommentSort, strawberry.lazy("schema.comments")] | None,  # type: ignore[valid-type]
            strawberry.argument(description="The order; null means NEWEST."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Comment, strawberry.lazy("schema.comments")]]:
        from schema.comments import fields

        paging = (first, after, last, before)
        return await fields.thread(info, fields.POST, self.row.id, sort, paging)

    # ---- reactions (schema/reactions/fields.py): likes and saves ----

    @strawberry.field(description="How many users like this post; exact.")
    async def like_count(self, info: Info) -> int:
        from schema.reactions import fields  # it imports this module

        return await fields.count(info, fields.POST, self.row.id, fields.LIKE)

    @strawberry.field(description="How many users saved this post; exact.")
    async def save_count(self, info: Info) -> int:
        from schema.reactions import fields

        return await fields.count(info, fields.POST, self.row.id, fields.SAVE)

    @strawberry.field(description="Whether you like this post; false when signed out.")
    async def viewer_has_liked(self, info: Info) -> bool:
        from schema.reactions import fields

        return await fields.viewer_has(info, fields.POST, self.row.id, fields.LIKE)

    @strawberry.field(description="Whether you saved this post; false when signed out.")
    async def viewer_has_saved(self, info: Info) -> bool:
        from schema.reactions import fields

        return await fields.viewer_has(info, fields.POST, self.row.id, fields.SAVE)


@strawberry.type(
    description="A post as it was after one edit. Seen only by the post's author and admins."
)
class PostRevision(VisibleNode):
    id: relay.NodeID[int]
    number: int = strawberry.field(
        description="1 for the post as created, then one more per edit; what "
        "`restorePostRevision` takes."
    )
    title: str = strawberry.field(description="The title then.")
    body: str = strawberry.field(description="The Markdown body then.")
    topics: list[str] = strawberry.field(description="The topic slugs then, in order.")
    restored_from: int | None = strawberry.field(
        description="The revision number this one restored, if it was a restore."
    )
    created_at: datetime = strawberry.field(description="When the edit was made.")
    row: strawberry.Private[PostRevisionModel]

    @classmethod
    def from_model(cls, row: PostRevisionModel) -> Self:
        return cls(
            id=row.id,
            number=row.number,
            title=row.title,
            body=row.body,
            topics=list(row.topics),
            restored_from=row.restored_from,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await content.visible_post_revisions(info.context, ids), cls.from_model)

    @strawberry.field(description="Who made the edit; null if that account is gone or deactivated.")
    async def editor(self, info: Info) -> User | None:
        return await User.related(info, self.row.editor_id)
