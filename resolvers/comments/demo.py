"""Demo comments: short threads with replies and @mentions on the demo posts and on Dragon
Well tea, so post pages show a discussion on first start."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.accounts import User
from models.catalog import Product
from models.comments import Comment, CommentTargetKind
from models.content import Post

# This package's own functions, from their modules (its __init__ imports this one).
from resolvers.comments.checks import render
from resolvers.comments.mentions import sync_mentions


@dataclass(frozen=True, slots=True)
class DemoComment:
    author: str
    body: str
    replies: tuple[DemoComment, ...] = field(default=())


# (kind, post title or product slug) -> its top-level comments, oldest first
DEMO_COMMENTS: dict[tuple[CommentTargetKind, str], list[DemoComment]] = {
    (CommentTargetKind.POST, "Dragon Well, three ways"): [
        DemoComment(
            "shopper_1",
            "Tried the **cold brew** overnight: so smooth. @teahouse which harvest is this?",
            (
                DemoComment(
                    "teahouse",
                    "This spring's, picked before Qingming. Glad you liked it!",
                    (DemoComment("shopper_1", "Ordering another 100 g then."),),
                ),
                DemoComment("chef_ana", "Cold brew is my favourite way too."),
            ),
        ),
        DemoComment(
            "shopper_2",
            "@chef_ana could you share the shortbread recipe?",
            (DemoComment("chef_ana", "It gets its own post next week, promise."),),
        ),
    ],
    (CommentTargetKind.POST, "Packing for a three-day hike"): [
        DemoComment(
            "shopper_3",
            "Wool socks, always. Which stove do you carry?",
            (DemoComment("trail_tom", "A small canister stove from @outdoor_gear."),),
        ),
    ],
    (CommentTargetKind.PRODUCT, "dragon-well-green-tea"): [
        DemoComment(
            "shopper_4",
            "Does the 50 g tin reseal well?",
            (DemoComment("teahouse", "Yes: it has an inner lid to keep the air out."),),
        ),
    ],
}


async def seed_comments_demo() -> None:
    """The demo threads; nothing when comments exist."""
    if await Comment.exists():
        return
    users = {str(h): int(str(i)) for h, i in await User.all().values_list("handle", "id")}
    posts = {str(t): int(str(i)) for t, i in await Post.all().values_list("title", "id")}
    products = {str(s): int(str(i)) for s, i in await Product.all().values_list("slug", "id")}
    for (kind, name), thread in DEMO_COMMENTS.items():
        target_id = (posts if kind is CommentTargetKind.POST else products).get(name)
        if target_id is not None:
            for comment in thread:
                await _add(users, kind, target_id, comment, None, 0)


async def _add(
    users: dict[str, int],
    kind: CommentTargetKind,
    target_id: int,
    comment: DemoComment,
    parent_id: int | None,
    depth: int,
) -> None:
    author_id = users.get(comment.author)
    if author_id is None:
        return
    row = await Comment.create(
        target_kind=kind,
        target_id=target_id,
        author_id=author_id,
        parent_id=parent_id,
        depth=depth,
        body=comment.body,
        body_html=render(comment.body),
    )
    await sync_mentions(row.id, author_id, comment.body)
    for reply in comment.replies:
        await _add(users, kind, target_id, reply, row.id, depth + 1)
