"""Likes and saves of comments: idempotent, exact under concurrency, never on a deleted or
hidden comment nor by a muted member, batched on a thread page, listed in the saved items, and
told to the comment's author as grouped LIKE notifications."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from models.accounts import Role
from models.comments import Comment
from models.content import Post, PostStatus
from models.reactions import Reaction, ReactionKind, ReactionTargetKind
from tests.comments.support import delete, make_comment, make_post
from tests.communities.support import JOIN, MUTE, act, create_community, published_in
from tests.factories import MakeUser, SignIn
from tests.notifications.support import inbox, relay
from tests.utils import GraphQLClient, gid

FIELDS = "likeCount saveCount viewerHasLiked viewerHasSaved"
RESULT = f"""
  __typename
  ... on Comment {{ id {FIELDS} }}
"""
REACT = f"""
mutation($id: ID!, $kind: ReactionKind!) {{ react(targetId: $id, kind: $kind) {{
  __typename
  ... on ReactSuccess {{ target {{ {RESULT} }} }}
  ... on NotFoundError {{ resource }}
  ... on PermissionDeniedError {{ message }} }} }}
"""
UNREACT = f"""
mutation($id: ID!, $kind: ReactionKind!) {{ unreact(targetId: $id, kind: $kind) {{
  __typename
  ... on UnreactSuccess {{ target {{ {RESULT} }} }}
  ... on NotFoundError {{ resource }} }} }}
"""
COMMENT = f"query($id: ID!) {{ node(id: $id) {{ ... on Comment {{ {FIELDS} }} }} }}"


async def react(
    gql: GraphQLClient, token: str, target: str, kind: str = "LIKE", *, undo: bool = False
) -> dict[str, Any]:
    document = UNREACT if undo else REACT
    data = await gql.data(document, {"id": target, "kind": kind}, token=token)
    result: dict[str, Any] = next(iter(data.values()))
    return result


@pytest.mark.smoke
async def test_liking_and_saving_a_comment_is_idempotent_and_counted(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    me, other = await sign_in(), await sign_in()
    post = await make_post((await make_user(role=Role.CREATOR)).id)
    comment = gid("Comment", (await make_comment(other.user.id, post)).id)

    first = await react(gql, me.token, comment)
    again = await react(gql, me.token, comment)
    saved = await react(gql, me.token, comment, "SAVE")
    await react(gql, other.token, comment)
    unliked = await react(gql, me.token, comment, undo=True)
    unliked_again = await react(gql, me.token, comment, undo=True)

    assert first == again
    assert first["target"] == {
        "__typename": "Comment",
        "id": comment,
        "likeCount": 1,
        "saveCount": 0,
        "viewerHasLiked": True,
        "viewerHasSaved": False,
    }
    assert saved["target"]["saveCount"] == 1
    assert saved["target"]["viewerHasSaved"] is True
    assert unliked == unliked_again
    assert (unliked["target"]["likeCount"], unliked["target"]["viewerHasLiked"]) == (1, False)
    anonymous = await gql.data(COMMENT, {"id": comment})
    assert anonymous["node"] == {
        "likeCount": 1,
        "saveCount": 1,
        "viewerHasLiked": False,
        "viewerHasSaved": False,
    }
    assert await Reaction.filter(target_kind=ReactionTargetKind.COMMENT).count() == 2


async def test_deleted_hidden_and_muted_comments_take_no_reactions(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    me, author = await sign_in(), await sign_in()
    creator = await make_user(role=Role.CREATOR)
    deleted = await make_comment(author.user.id, await make_post(creator.id))
    assert (await delete(gql, author.token, gid("Comment", deleted.id)))["__typename"] == (
        "DeleteCommentSuccess"
    )
    draft = await make_post(creator.id, PostStatus.DRAFT)
    hidden = await make_comment(creator.id, draft)
    owner, quiet = await sign_in(), await sign_in()
    community = await create_community(gql, owner.token, "Quiet Tea")
    await act(gql, JOIN, quiet.token, c=community["id"])
    post = await published_in(gql, owner.token, community["id"], "House rules")
    inside = await make_comment(owner.user.id, await Post.get(slug=post["slug"]))
    await act(gql, MUTE, owner.token, c=community["id"], u=gid("User", quiet.user.id))

    gone = await react(gql, me.token, gid("Comment", deleted.id))
    unseen = await react(gql, me.token, gid("Comment", hidden.id), "SAVE")
    missing = await react(gql, me.token, gid("Comment", 987_654))
    muted = await react(gql, quiet.token, gid("Comment", inside.id))
    allowed = await react(gql, me.token, gid("Comment", inside.id))

    assert gone == {"__typename": "NotFoundError", "resource": "Comment"}
    assert unseen == {"__typename": "NotFoundError", "resource": "Comment"}
    assert missing == {"__typename": "NotFoundError", "resource": "Comment"}
    assert muted["__typename"] == "PermissionDeniedError"
    assert allowed["__typename"] == "ReactSuccess"
    assert await Reaction.filter(target_kind=ReactionTargetKind.COMMENT).count() == 1
    # The draft's author sees the comment on it, so may react to it.
    own = await sign_in(user=creator)
    assert (await react(gql, own.token, gid("Comment", hidden.id)))["__typename"] == "ReactSuccess"


async def test_100_concurrent_toggles_on_one_comment_leave_the_count_equal_to_the_rows(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    """20 users toggle their like 5 times each, all users at once: 100 calls."""
    post = await make_post((await make_user(role=Role.CREATOR)).id)
    row = await make_comment((await make_user()).id, post)
    comment = gid("Comment", row.id)
    fans = [await sign_in() for _ in range(20)]

    async def toggles(token: str) -> list[str]:
        return [(await react(gql, token, comment, undo=n % 2 == 1))["__typename"] for n in range(5)]

    runs = await asyncio.gather(*(toggles(fan.token) for fan in fans))

    assert sum(len(run) for run in runs) == 100
    assert {name for run in runs for name in run} == {"ReactSuccess", "UnreactSuccess"}
    rows = await Reaction.filter(target_kind=ReactionTargetKind.COMMENT, target_id=row.id).count()
    counted = (await gql.data(COMMENT, {"id": comment}))["node"]["likeCount"]
    assert rows == counted == 20  # each user ended on a like

    # One user, 40 likes and unlikes at once: one row at most, and the count agrees.
    replies = await asyncio.gather(
        *(react(gql, fans[0].token, comment, undo=n % 2 == 0) for n in range(40))
    )
    assert all(reply["__typename"].endswith("Success") for reply in replies)
    mine = await Reaction.filter(user_id=fans[0].user.id, target_id=row.id).count()
    assert mine in (0, 1)
    assert (await gql.data(COMMENT, {"id": comment}))["node"]["likeCount"] == 19 + mine


THREAD = f"""
query($slug: String!, $n: Int!) {{ post(slug: $slug) {{
  comments(first: $n) {{ edges {{ node {{ id {FIELDS} }} }} }} }} }}
"""


async def test_a_thread_page_with_reaction_fields_costs_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    viewer = await sign_in()
    post = await make_post((await make_user(role=Role.CREATOR)).id)
    fans = [await make_user() for _ in range(3)]
    comments = [await make_comment(fans[n % 3].id, post, f"c{n}") for n in range(55)]
    await Reaction.bulk_create(
        [
            Reaction(
                user_id=user.id,
                kind=kind,
                target_kind=ReactionTargetKind.COMMENT,
                target_id=comment.id,
            )
            for n, comment in enumerate(comments)
            for user, kind in (
                *((fan, ReactionKind.LIKE) for fan in fans[: n % 4]),
                *(((viewer.user, ReactionKind.LIKE),) if n % 2 else ()),
                *(((viewer.user, ReactionKind.SAVE),) if n % 3 == 0 else ()),
            )
        ]
    )
    await gql.data("{ viewer { id } }", token=viewer.token)  # the session's last use, written

    small = await gql.post(THREAD, {"slug": post.slug, "n": 5}, token=viewer.token)
    large = await gql.post(THREAD, {"slug": post.slug, "n": 50}, token=viewer.token)

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    edges = large.data["post"]["comments"]["edges"]
    assert len(edges) == 50
    newest = 54  # newest first
    assert edges[0]["node"] == {
        "id": gid("Comment", comments[newest].id),
        "likeCount": newest % 4,
        "saveCount": 1,
        "viewerHasLiked": False,
        "viewerHasSaved": True,
    }
    # The session, the post, the comments, their counts, the viewer's reactions.
    assert small.sql == large.sql, (small.sql, large.sql)


SAVED = """
{ viewer { saved(first: 10) { totalCount edges { node { __typename
  ... on Comment { id body } ... on Post { slug } } } } } }
"""


async def test_saved_comments_are_listed_and_a_deleted_one_drops_out(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    me, author = await sign_in(), await sign_in()
    post = await make_post((await make_user(role=Role.CREATOR)).id)
    kept = await make_comment(author.user.id, post, "Keep me")
    doomed = await make_comment(author.user.id, post, "Delete me")
    for comment in (kept, doomed):
        await react(gql, me.token, gid("Comment", comment.id), "SAVE")
    await react(gql, me.token, gid("Post", post.id), "SAVE")

    before = (await gql.data(SAVED, token=me.token))["viewer"]["saved"]
    await delete(gql, author.token, gid("Comment", doomed.id))
    after = (await gql.data(SAVED, token=me.token))["viewer"]["saved"]

    assert [edge["node"] for edge in before["edges"]] == [
        {"__typename": "Post", "slug": post.slug},
        {"__typename": "Comment", "id": gid("Comment", doomed.id), "body": "Delete me"},
        {"__typename": "Comment", "id": gid("Comment", kept.id), "body": "Keep me"},
    ]
    assert before["totalCount"] == 3
    assert [edge["node"].get("body") for edge in after["edges"]] == [None, "Keep me"]
    assert after["totalCount"] == 2
    # The post archived: the post and the comment on it drop out, in SQL (the count agrees).
    await Post.filter(id=post.id).update(status=PostStatus.ARCHIVED)
    hidden = (await gql.data(SAVED, token=me.token))["viewer"]["saved"]
    assert hidden == {"totalCount": 0, "edges": []}


async def test_likes_of_a_comment_tell_its_author_in_one_group(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    author = await sign_in(user=await make_user(handle="writer", display_name="Writer"))
    fans = [
        await sign_in(user=await make_user(handle=f"fan_{n}", display_name=f"Fan {n}"))
        for n in range(3)
    ]
    post = await make_post((await make_user(role=Role.CREATOR)).id)
    row: Comment = await make_comment(author.user.id, post, "Steep it twice.")
    for fan in (*fans, author):  # their own like tells them nothing
        await react(gql, fan.token, gid("Comment", row.id))
    await relay(services)

    [liked] = await inbox(gql, author.token)

    assert (liked["kind"], liked["actorCount"]) == ("LIKE", 3)
    assert liked["message"] == "Fan 2 and 2 others liked your comment."
    assert liked["target"] == {
        "__typename": "Comment",
        "id": gid("Comment", row.id),
        "body": ("Steep it twice."),
    }
