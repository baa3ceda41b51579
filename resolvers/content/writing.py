"""Writing posts: create, edit (each edit a revision), publish or schedule, archive, delete.

Who may author: every signed-in user (apps: write:content). Shoppers included: the seeds'
KOC are ordinary users whose posts are the point; creators (KOL), merchants and staff too.
Only the author changes a post; deleting is also open to admins (and to moderators for posts
they can see), in person, as moderation. Deletion is hard: the post, its revisions, topic
links and product tags go; order lines attributed to it keep their `sourceId`, which then
resolves to null.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from models.accounts import Role, User
from models.comments import Comment, CommentTargetKind
from models.communities import Community, CommunityVisibility
from models.content import Post, PostRevision, PostStatus, PostTopic, ShoppableTag, TagTarget, Topic
from models.media import Media
from models.reactions import Reaction, ReactionTargetKind
from resolvers import events
from resolvers.auth import require_scope, require_session
from resolvers.content.access import target_post
from resolvers.content.checks import check_body, check_title, check_topics, render_markdown
from resolvers.content.loaders import post_by_id, post_by_slug, tags_by_post, topics_by_post
from resolvers.content.slugs import free_slug
from resolvers.errors import InvalidInput, NotFound, PermissionDenied
from resolvers.loading import forget
from resolvers.media import check_media_ids
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

MAX_SCHEDULE_AHEAD = timedelta(days=366)
MAX_GALLERY = 20  # media in a post's gallery


def _forget(ctx: Context, post: Post) -> None:
    forget(ctx.loaders[post_by_id], post.id)
    forget(ctx.loaders[post_by_slug], post.slug)
    forget(ctx.loaders[topics_by_post], post.id)
    forget(ctx.loaders[tags_by_post], post.id)


async def check_post_media(
    ctx: Context, author_id: int, ids: Sequence[int], field: str, maximum: int = MAX_GALLERY
) -> list[int]:
    """READY media uploaded by the post's author, de-duplicated, in order."""

    async def own(found: Media) -> bool:
        return found.owner_id == author_id

    return await check_media_ids(ctx, ids, field=field, maximum=maximum, may_attach=own)


def attached_ids(post: Post) -> list[int]:
    """The media a post shows, cover first: the only media its tags may sit on."""
    cover = [post.cover_media_id] if post.cover_media_id is not None else []
    return list(dict.fromkeys([*cover, *post.media_ids]))


async def prune_tags(post: Post) -> None:
    """Drop the tags of media the post no longer shows (inside the edit's transaction)."""
    tags = ShoppableTag.filter(target_kind=TagTarget.POST, target_id=post.id)
    kept = attached_ids(post)
    await (tags.exclude(media_id__in=kept) if kept else tags).delete()


async def _topic_ids(topics: Sequence[tuple[str, str]]) -> list[int]:
    """The ids of these topics, creating the missing ones (first use creates a topic)."""
    slugs = [slug for slug, _ in topics]
    found = dict(await Topic.filter(slug__in=slugs).values_list("slug", "id"))
    for slug, name in topics:
        if slug not in found:
            try:
                async with in_transaction():  # a savepoint: a concurrent first use may win
                    found[slug] = (await Topic.create(slug=slug, name=name)).id
            except IntegrityError:
                found[slug] = (await Topic.get(slug=slug)).id
    return [int(found[slug]) for slug in slugs]


# A post everyone may read: outside any community, or in a public one. Counts shown to
# everyone (a topic's postCount) count only these, so they never reveal a private community's
# activity.
def _listed() -> Q:
    # Built per call: a queryset needs the database configured, which import time is not.
    public = Community.filter(visibility=CommunityVisibility.PUBLIC, hidden_at=None).values("id")
    return Q(hidden_at=None) & (Q(community_id=None) | Q(community_id__in=Subquery(public)))


async def recount_topics(topic_ids: Sequence[int]) -> None:
    """Set each topic's post_count to its published posts everyone may read, exactly; inside
    a transaction.

    The topic rows are locked first, so a concurrent recount of the same topic waits for this
    transaction and then counts what it committed (PostgreSQL's READ COMMITTED re-reads).
    """
    ids = sorted(set(topic_ids))
    if not ids:
        return
    # NO KEY: inserting a post's topic links takes KEY SHARE locks on these rows (the foreign
    # key check); a plain FOR UPDATE would conflict with another edit's and deadlock. `only`, not
    # `values_list`: tortoise drops the FOR clause from values queries.
    await Topic.filter(id__in=ids).select_for_update(no_key=True).order_by("id").only("id")
    for topic_id in ids:
        count = await Post.filter(
            _listed(), status=PostStatus.PUBLISHED, post_topics__topic_id=topic_id
        ).count()
        await Topic.filter(id=topic_id).update(post_count=count)


async def recount_post_topics(post_id: int) -> None:
    """A post was hidden or restored by a moderator: recount its topics. Inside the
    transaction that changed it."""
    await recount_topics(await _post_topic_ids(post_id))


async def recount_community_topics(community_id: int) -> None:
    """A community became private or public, or was hidden or restored: recount the topics
    its published posts carry. Inside the transaction that changed it."""
    rows = await PostTopic.filter(
        post__community_id=community_id, post__status=PostStatus.PUBLISHED
    ).values("topic_id")
    await recount_topics([int(row["topic_id"]) for row in rows])


async def _set_topics(post: Post, topic_ids: list[int]) -> list[int]:
    """Replace the post's topics; the ids of every topic whose count may have changed."""
    old = await _post_topic_ids(post.id)
    await PostTopic.filter(post_id=post.id).delete()
    await PostTopic.bulk_create(
        [PostTopic(post_id=post.id, topic_id=t, position=n) for n, t in enumerate(topic_ids)]
    )
    return [*old, *topic_ids]


async def _post_topic_ids(post_id: int) -> list[int]:
    rows = await PostTopic.filter(post_id=post_id).order_by("position", "id")
    return [row.topic_id for row in rows]


async def _revise(
    post: Post, editor_id: int | None, topics: list[str], restored_from: int | None = None
) -> PostRevision:
    post.revision_count += 1
    await Post.filter(id=post.id).update(revision_count=post.revision_count)
    return await PostRevision.create(
        post_id=post.id,
        editor_id=editor_id,
        number=post.revision_count,
        title=post.title,
        body=post.body,
        topics=topics,
        restored_from=restored_from,
        cover_media_id=post.cover_media_id,
        media_ids=list(post.media_ids),
    )


async def insert_post(
    author_id: int,
    *,
    title: str,
    body: str,
    topics: Sequence[str],
    community_id: int | None = None,
    cover_media_id: int | None = None,
    media_ids: Sequence[int] = (),
) -> Post:
    """A new draft with its first revision (also for demo data); the slug comes from the title."""
    checked = check_topics(topics)
    title, body = check_title(title), check_body(body)
    for _ in range(3):  # a concurrent post may take the same slug between the check and insert
        slug = await free_slug(Post, title, "post")
        try:
            async with in_transaction():
                post = await Post.create(
                    author_id=author_id,
                    slug=slug,
                    title=title,
                    body=body,
                    body_html=render_markdown(body),
                    community_id=community_id,
                    cover_media_id=cover_media_id,
                    media_ids=list(media_ids),
                )
                topic_ids = await _topic_ids(checked)
                await _set_topics(post, topic_ids)
                await _revise(post, author_id, [slug for slug, _ in checked])
            return post
        except IntegrityError:
            continue
    raise InvalidInput("title", "Could not find a free slug for this title; change it a little.")


async def _check_community(ctx: Context, user: User, community_id: int | None) -> None:
    """A post goes into (or stays in) a community only by a member neither banned nor muted."""
    if community_id is None:
        return
    # Imported here: the communities package imports this one.
    from resolvers.communities import require_posting_rights

    await require_posting_rights(ctx, user, community_id)


async def create_post(
    ctx: Context,
    *,
    title: str,
    body: str,
    topics: Sequence[str],
    cover_media_id: int | None = None,
    media_ids: Sequence[int] = (),
    community_id: int | None = None,
) -> Post:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    await _check_community(ctx, user, community_id)
    cover = None
    if cover_media_id is not None:
        [cover] = await check_post_media(ctx, user.id, [cover_media_id], "coverMediaId", 1)
    gallery = await check_post_media(ctx, user.id, media_ids, "mediaIds")
    return await insert_post(
        user.id,
        title=title,
        body=body,
        topics=topics,
        community_id=community_id,
        cover_media_id=cover,
        media_ids=gallery,
    )


async def _own_post(ctx: Context, post_id: int) -> Post:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    post = await target_post(ctx, post_id)
    if post.author_id != user.id:
        raise PermissionDenied("Only the author can change a post.")
    return post


async def _locked(post_id: int) -> Post:
    post = await Post.filter(id=post_id).select_for_update().first()
    if post is None:  # deleted since it was read
        raise NotFound("Post")
    return post


async def update_post(
    ctx: Context,
    *,
    post_id: int,
    title: str | None,
    body: str | None,
    topics: Sequence[str] | None,
    cover_media_id: int | None = None,
    clear_cover: bool = False,
    media_ids: Sequence[int] | None = None,
    community_id: int | None = None,
    leave_community: bool = False,
) -> Post:
    """Change title, body, topics, cover, gallery or community; every edit is kept as a new
    revision. Tags on media the post no longer shows are dropped. A post in a community is
    edited (or moved in) only by an author who may post there now."""
    post = await _own_post(ctx, post_id)
    changes: dict[str, Any] = {}
    if leave_community:
        changes["community_id"] = None
    else:
        target = community_id if community_id is not None else post.community_id
        await _check_community(ctx, require_scope(ctx, Scope.WRITE_CONTENT), target)
        if community_id is not None and community_id != post.community_id:
            changes["community_id"] = community_id
    if clear_cover:
        changes["cover_media_id"] = None
    elif cover_media_id is not None:
        [changes["cover_media_id"]] = await check_post_media(
            ctx, post.author_id, [cover_media_id], "coverMediaId", 1
        )
    if media_ids is not None:
        changes["media_ids"] = await check_post_media(ctx, post.author_id, media_ids, "mediaIds")
    if title is not None:
        changes["title"] = check_title(title)
    if body is not None:
        changes["body"] = check_body(body)
        changes["body_html"] = render_markdown(changes["body"])
    checked = check_topics(topics) if topics is not None else None
    if not changes and checked is None:
        return post  # nothing to change: no revision either
    return await _apply(ctx, post, changes, checked, ctx.principal.user)


async def _apply(
    ctx: Context,
    post: Post,
    changes: dict[str, Any],
    topics: list[tuple[str, str]] | None,
    editor: User | None,
    restored_from: int | None = None,
) -> Post:
    async with in_transaction():
        row = await _locked(post.id)
        for name, value in changes.items():
            setattr(row, name, value)
        if changes:
            await row.save(update_fields=[*changes, "updated_at"])
        if "cover_media_id" in changes or "media_ids" in changes:
            await prune_tags(row)
        if topics is not None:
            touched = await _set_topics(row, await _topic_ids(topics))
            if row.status is PostStatus.PUBLISHED:
                await recount_topics(touched)
            slugs = [slug for slug, _ in topics]
        else:
            order = await _post_topic_ids(row.id)
            if "community_id" in changes and row.status is PostStatus.PUBLISHED:
                await recount_topics(order)  # into or out of a private community
            by_id = {t.id: t.slug for t in await Topic.filter(id__in=order)}
            slugs = [by_id[t] for t in order]
        await _revise(row, editor.id if editor else None, slugs, restored_from)
    _forget(ctx, row)
    return row


async def _move(row: Post, status: PostStatus, **columns: Any) -> None:
    """Change a locked post's status, recounting its topics when it enters or leaves PUBLISHED."""
    was_published = row.status is PostStatus.PUBLISHED
    row.status = status
    for name, value in columns.items():
        setattr(row, name, value)
    await row.save(update_fields=["status", *columns, "updated_at"])
    if was_published != (status is PostStatus.PUBLISHED):
        await recount_topics(await _post_topic_ids(row.id))
    if status is PostStatus.PUBLISHED and not was_published:
        await events.post_published(row)


async def publish_post(ctx: Context, *, post_id: int, publish_at: datetime | None) -> Post:
    """Publish now, or schedule for `publish_at` (the worker publishes it when due)."""
    post = await _own_post(ctx, post_id)
    await _check_community(ctx, require_scope(ctx, Scope.WRITE_CONTENT), post.community_id)
    now = datetime.now(UTC)
    if publish_at is not None:
        if publish_at.tzinfo is None:
            raise InvalidInput("publishAt", "Give `publishAt` with a time zone, e.g. ...Z.")
        if publish_at - now > MAX_SCHEDULE_AHEAD:
            raise InvalidInput("publishAt", "Schedule at most a year ahead.")
    row = await publish_row(post.id, publish_at, now)
    _forget(ctx, row)
    return row


async def publish_row(post_id: int, publish_at: datetime | None, now: datetime) -> Post:
    """Publish a post now, or schedule it when `publish_at` is later than `now` (no checks of
    who asks: publish_post makes them; also for demo data)."""
    later = publish_at is not None and publish_at > now
    async with in_transaction():
        row = await _locked(post_id)
        if later and row.status is PostStatus.PUBLISHED:
            raise InvalidInput("publishAt", "This post is out already; archive it first.")
        if later:
            await _move(row, PostStatus.SCHEDULED, publish_at=publish_at)
        elif row.status is not PostStatus.PUBLISHED:
            await _move(row, PostStatus.PUBLISHED, publish_at=None, published_at=now)
    return row


async def archive_post(ctx: Context, *, post_id: int) -> Post:
    """Take a post out of view (its author and admins still see it); publishPost brings it back."""
    post = await _own_post(ctx, post_id)
    async with in_transaction():
        row = await _locked(post.id)
        if row.status is not PostStatus.ARCHIVED:
            await _move(row, PostStatus.ARCHIVED, publish_at=None)
    _forget(ctx, row)
    return row


async def drop_discussion(kind: CommentTargetKind, target_id: int) -> None:
    """A post or tutorial is deleted for good: its comments, and the likes and saves of it and
    of them, go with it (targets carry no foreign key that would cascade). Inside the
    deleting transaction."""
    comments = Comment.filter(target_kind=kind, target_id=target_id).values("id")
    await Reaction.filter(
        target_kind=ReactionTargetKind.COMMENT, target_id__in=Subquery(comments)
    ).delete()
    await Reaction.filter(target_kind=ReactionTargetKind(kind.value), target_id=target_id).delete()
    await Comment.filter(target_kind=kind, target_id=target_id).delete()


async def delete_post(ctx: Context, *, post_id: int) -> Post:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    post = await target_post(ctx, post_id)
    if post.author_id != user.id:
        if user.role not in (Role.ADMIN, Role.MODERATOR):
            raise PermissionDenied("Only the author, a moderator or an admin can delete a post.")
        require_session(ctx)  # removing someone else's post is moderation: in person only
    async with in_transaction():
        row = await _locked(post.id)
        topic_ids = await _post_topic_ids(row.id)
        await ShoppableTag.filter(target_kind=TagTarget.POST, target_id=row.id).delete()
        await drop_discussion(CommentTargetKind.POST, row.id)
        await Post.filter(id=row.id).delete()
        if row.status is PostStatus.PUBLISHED:
            await recount_topics(topic_ids)
    _forget(ctx, row)
    return row


async def restore_post_revision(ctx: Context, *, post_id: int, number: int) -> Post:
    """Make a revision's title, body and topics current again, as a new revision."""
    post = await _own_post(ctx, post_id)
    revision = await PostRevision.filter(post_id=post.id, number=number).first()
    if revision is None:
        raise NotFound("PostRevision", "This post has no revision with that number.")
    changes = {
        "title": revision.title,
        "body": revision.body,
        "body_html": render_markdown(revision.body),
        # The media as they were; tags are not revisioned (see prune_tags).
        "cover_media_id": revision.cover_media_id,
        "media_ids": list(revision.media_ids),
    }
    topics = check_topics(revision.topics)
    return await _apply(ctx, post, changes, topics, ctx.principal.user, restored_from=number)


async def publish_due_posts(now: datetime | None = None) -> int:
    """Publish scheduled posts whose time has come (the worker's cron job); how many. Each
    records `post.published` in its transaction: the relay fans it out (resolvers/feeds)."""
    moment = now or datetime.now(UTC)
    due = await Post.filter(status=PostStatus.SCHEDULED, publish_at__lte=moment).values_list(
        "id", flat=True
    )
    count = 0
    for post_id in due:
        async with in_transaction():
            row = await Post.filter(id=post_id).select_for_update().first()
            # Re-checked under the lock: the author may have archived or rescheduled it meanwhile.
            if row is None or row.status is not PostStatus.SCHEDULED or row.publish_at is None:
                continue
            if row.publish_at > moment:
                continue
            await _move(row, PostStatus.PUBLISHED, published_at=row.publish_at, publish_at=None)
        count += 1
    return count
