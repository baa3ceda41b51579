"""What can be reported and moderated: reviews, posts, tutorials, comments and communities,
each seen through its own domain's `visible_<noun>s` rule, and what the queue needs of them
(author, community, hidden or not)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models.comments import Comment, CommentTargetKind
from models.communities import Community
from models.moderation import ReportTargetKind
from models.reviews import Review, ReviewStatus
from resolvers.comments import visible_comments
from resolvers.communities import visible_communities
from resolvers.content import visible_posts, visible_tutorials
from resolvers.content.loaders import post_by_id
from resolvers.errors import NotFound
from resolvers.reviews import visible_reviews

if TYPE_CHECKING:
    from resolvers.context import Context

Visible = Callable[["Context", Sequence[int]], Awaitable[Sequence[Any]]]

RULES: dict[ReportTargetKind, tuple[str, Visible]] = {
    ReportTargetKind.REVIEW: ("Review", visible_reviews),
    ReportTargetKind.POST: ("Post", visible_posts),
    ReportTargetKind.TUTORIAL: ("Tutorial", visible_tutorials),
    ReportTargetKind.COMMENT: ("Comment", visible_comments),
    ReportTargetKind.COMMUNITY: ("Community", visible_communities),
}


@dataclass(frozen=True, slots=True)
class Target:
    """A reportable object the caller can see, as its model row."""

    kind: ReportTargetKind
    row: Any
    # Where its community moderators act: a post's community, the community of the post a
    # comment is on. None for what only site staff moderate (communities themselves too).
    community_id: int | None

    @property
    def author_id(self) -> int:
        return int(self.row.creator_id if isinstance(self.row, Community) else self.row.author_id)

    @property
    def hidden(self) -> bool:
        if isinstance(self.row, Review):
            return self.row.status is ReviewStatus.HIDDEN
        return self.row.hidden_at is not None


async def load_targets(
    ctx: Context, keys: Sequence[tuple[ReportTargetKind, int]]
) -> list[Target | None]:
    """The targets the caller can see, None for the rest: one batch per kind, plus the posts
    that comments are on (for their community)."""
    rows: dict[tuple[ReportTargetKind, int], Any] = {}
    for kind, (_, visible) in RULES.items():
        ids = [target_id for k, target_id in keys if k is kind]
        if ids:
            for target_id, row in zip(ids, await visible(ctx, ids), strict=True):
                if row is not None:
                    rows[(kind, target_id)] = row
    on_posts = [
        row.target_id
        for row in rows.values()
        if isinstance(row, Comment) and row.target_kind is CommentTargetKind.POST
    ]
    # The raw rows: the community of a post is a fact, whoever may read the post.
    posts = await ctx.loaders[post_by_id].load_many(on_posts) if on_posts else []
    community_of = {post.id: post.community_id for post in posts if post is not None}
    found: list[Target | None] = []
    for key in keys:
        row = rows.get(key)
        if row is None:
            found.append(None)
            continue
        community_id: int | None = None
        if key[0] is ReportTargetKind.POST:
            community_id = row.community_id
        elif isinstance(row, Comment) and row.target_kind is CommentTargetKind.POST:
            community_id = community_of.get(row.target_id)
        found.append(Target(key[0], row, community_id))
    return found


async def load_target(ctx: Context, kind: ReportTargetKind, target_id: int) -> Target:
    [target] = await load_targets(ctx, [(kind, target_id)])
    if target is None:
        raise NotFound(RULES[kind][0])
    return target
