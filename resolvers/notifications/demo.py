"""Demo notifications: what the consumers would have written for the demo's follows, likes,
comments and community invites (the demo seeds rows directly, recording no events, so the
relay has nothing to turn into notifications). All unread, so the README's examples have
something to show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from models.comments import Comment, CommentTargetKind
from models.communities import CommunityMember, MemberStatus
from models.content import Post, Tutorial
from models.notifications import (
    Notification,
    NotificationActor,
    NotificationKind,
    NotificationTargetKind,
)
from models.reactions import Reaction, ReactionKind, ReactionTargetKind
from models.reviews import Review
from models.social import Follow, FollowTargetKind
from resolvers.notifications.consumers import RECENT_ACTORS

Kind, Target = NotificationKind, NotificationTargetKind


async def _write(
    recipient: int,
    kind: NotificationKind,
    target: tuple[NotificationTargetKind, int],
    actors: Sequence[int],  # oldest first
    *,
    group: bool,
) -> None:
    people = list(dict.fromkeys(a for a in actors if a != recipient))
    if not people:
        return
    row = await Notification.create(
        recipient_id=recipient,
        kind=kind,
        target_kind=target[0],
        target_id=target[1],
        group_key=f"{kind.value}:{target[0].value}:{target[1]}" if group else None,
        actor_count=len(people),
        recent_actor_ids=people[::-1][:RECENT_ACTORS],
    )
    await NotificationActor.bulk_create(
        [NotificationActor(notification_id=row.id, user_id=pk) for pk in people]
    )


async def seed_notifications_demo() -> None:
    """Followers, likes, comments and invites of the demo, told to whom the consumers would
    tell; nothing when any notification exists."""
    if await Notification.exists():
        return
    followers: defaultdict[int, list[int]] = defaultdict(list)
    for follow in await Follow.filter(target_kind=FollowTargetKind.USER).order_by("id"):
        followers[follow.target_id].append(follow.follower_id)
    for user_id, people in followers.items():
        await _write(user_id, Kind.NEW_FOLLOWER, (Target.USER, user_id), people, group=True)

    authors = {
        ReactionTargetKind.POST: dict(await Post.all().values_list("id", "author_id")),
        ReactionTargetKind.TUTORIAL: dict(await Tutorial.all().values_list("id", "author_id")),
        ReactionTargetKind.COMMENT: dict(await Comment.all().values_list("id", "author_id")),
    }
    likes: defaultdict[tuple[ReactionTargetKind, int], list[int]] = defaultdict(list)
    for like in await Reaction.filter(kind=ReactionKind.LIKE).order_by("id"):
        likes[(like.target_kind, like.target_id)].append(like.user_id)
    for (liked, pk), people in likes.items():
        author = authors[liked].get(pk)
        if author is not None:
            target = (Target(liked.value), pk)
            await _write(author, Kind.LIKE, target, people, group=True)

    comment_authors = authors[ReactionTargetKind.COMMENT]
    written = {
        CommentTargetKind.POST: authors[ReactionTargetKind.POST],
        CommentTargetKind.TUTORIAL: authors[ReactionTargetKind.TUTORIAL],
        CommentTargetKind.REVIEW: dict(await Review.all().values_list("id", "author_id")),
    }
    for comment in await Comment.filter(deleted_at=None).order_by("id"):
        if comment.parent_id is not None:
            recipient, kind = comment_authors.get(comment.parent_id), Kind.REPLY
        else:
            recipient, kind = (
                written.get(comment.target_kind, {}).get(comment.target_id),
                Kind.COMMENT,
            )
        if recipient is not None:
            target = (Target.COMMENT, comment.id)
            await _write(recipient, kind, target, [comment.author_id], group=False)

    invites = CommunityMember.filter(status=MemberStatus.INVITED, invited_by_id__not_isnull=True)
    for invite in await invites.order_by("id"):
        target = (Target.COMMUNITY, invite.community_id)
        inviter = int(invite.invited_by_id or 0)
        await _write(invite.user_id, Kind.COMMUNITY_INVITE, target, [inviter], group=False)
