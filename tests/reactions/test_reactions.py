"""Likes and saves: idempotent, only on what the caller sees, exact counts under concurrency,
viewer flags, and the SQL a listing costs with them."""

from __future__ import annotations

import asyncio

import pytest

from models.accounts import Role, User
from models.content import PostStatus, TutorialStatus
from models.reactions import Reaction, ReactionKind, ReactionTargetKind
from tests.factories import MakeApp, MakeAppToken, MakeUser, SignIn
from tests.reactions.support import REACT, UNREACT, post_row, react, tutorial_row, unreact
from tests.utils import GraphQLClient, gid


@pytest.mark.smoke
async def test_react_twice_is_one_reaction_and_unreact_twice_is_none(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    fan = await sign_in()
    author = await make_user(role=Role.CREATOR)
    post = await post_row(author.id, "green-tea")
    target = gid("Post", post.id)

    first = await react(gql, fan.token, target)
    again = await react(gql, fan.token, target)

    liked = {
        "__typename": "Post",
        "slug": "green-tea",
        "likeCount": 1,
        "saveCount": 0,
        "viewerHasLiked": True,
        "viewerHasSaved": False,
    }
    assert first == again == {"__typename": "ReactSuccess", "target": liked}
    saved = await react(gql, fan.token, target, "SAVE")
    assert saved["target"] | {} == liked | {"saveCount": 1, "viewerHasSaved": True}
    assert await Reaction.filter(user_id=fan.user.id).count() == 2

    gone = await unreact(gql, fan.token, target)
    gone_again = await unreact(gql, fan.token, target)
    after = liked | {
        "likeCount": 0,
        "viewerHasLiked": False,
        "saveCount": 1,
        "viewerHasSaved": True,
    }
    assert gone == gone_again == {"__typename": "UnreactSuccess", "target": after}
    kinds = [row.kind for row in await Reaction.filter(user_id=fan.user.id)]
    assert kinds == [ReactionKind.SAVE]


async def test_tutorials_count_each_users_reactions(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    author = await make_user(role=Role.CREATOR)
    tutorial = await tutorial_row(author.id, "gongfu")
    fans = [await sign_in() for _ in range(3)]
    for fan in fans:
        await react(gql, fan.token, gid("Tutorial", tutorial.id))
    saved = await react(gql, fans[0].token, gid("Tutorial", tutorial.id), "SAVE")

    assert saved["target"] == {
        "__typename": "Tutorial",
        "slug": "gongfu",
        "likeCount": 3,
        "saveCount": 1,
        "viewerHasLiked": True,
        "viewerHasSaved": True,
    }
    page = '{ tutorial(slug: "gongfu") { likeCount saveCount viewerHasLiked viewerHasSaved } }'
    anonymous = await gql.data(page)
    other = await gql.data(page, token=fans[1].token)
    assert anonymous["tutorial"] == {
        "likeCount": 3,
        "saveCount": 1,
        "viewerHasLiked": False,
        "viewerHasSaved": False,
    }
    assert other["tutorial"] | {} == anonymous["tutorial"] | {"viewerHasLiked": True}


async def test_what_cannot_be_reacted_to(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    me = await sign_in()
    author = await make_user(role=Role.CREATOR)
    gone = await make_user(role=Role.CREATOR, is_active=False)
    draft = await post_row(author.id, "draft", PostStatus.DRAFT)
    archived = await tutorial_row(author.id, "archived", TutorialStatus.ARCHIVED)
    orphan = await post_row(gone.id, "orphan")
    mine = await post_row(me.user.id, "my-draft", PostStatus.DRAFT)

    assert await react(gql, me.token, gid("Post", draft.id)) == {
        "__typename": "NotFoundError",
        "resource": "Post",
    }
    assert await unreact(gql, me.token, gid("Tutorial", archived.id), "SAVE") == {
        "__typename": "NotFoundError",
        "resource": "Tutorial",
    }
    assert (await react(gql, me.token, gid("Post", orphan.id)))["__typename"] == "NotFoundError"
    assert (await react(gql, me.token, gid("Post", 987_654)))["__typename"] == "NotFoundError"
    # Bad ids: another type's, not an id at all, one past the largest key.
    for bad in (gid("User", author.id), "garbage", gid("Post", 2**63)):
        reply = await react(gql, me.token, bad)
        assert reply["__typename"] == "ValidationError", (bad, reply)
        assert reply["field"] == "targetId"
    wrong_kind = await gql.post(REACT, {"id": gid("Post", mine.id), "kind": "LOVE"}, token=me.token)
    assert wrong_kind.status < 500
    assert wrong_kind.codes == ["BAD_USER_INPUT"], wrong_kind.body
    anonymous = await gql.post(UNREACT, {"id": gid("Post", mine.id), "kind": "LIKE"})
    assert anonymous.codes == ["UNAUTHENTICATED"]
    assert not await Reaction.exists()
    # An author sees their own draft, so may like it (and it shows in their saves).
    own = await react(gql, me.token, gid("Post", mine.id), "SAVE")
    assert own["__typename"] == "ReactSuccess"


async def test_apps_react_as_their_owner_with_write_content(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_user: MakeUser,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> None:
    owner = await sign_in()
    post = await post_row((await make_user(role=Role.CREATOR)).id, "tea")
    writer = await make_app_token(await make_app(owner.user, scopes=["write:content"]))
    reader = await make_app_token(await make_app(owner.user, scopes=["read:content"]))

    refused = await gql.post(REACT, {"id": gid("Post", post.id), "kind": "LIKE"}, token=reader)
    done = await react(gql, writer, gid("Post", post.id))

    assert refused.codes == ["FORBIDDEN"]
    assert done["target"]["viewerHasLiked"] is True
    assert await Reaction.filter(user_id=owner.user.id).count() == 1


async def test_concurrent_toggles_leave_counts_equal_to_the_rows(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    """100 like/unlike toggles at once by 20 users on one post (each user's own calls in
    order, the users' concurrently), then 40 at once by one user on another post."""
    author = await make_user(role=Role.CREATOR)
    post = await post_row(author.id, "hot")
    other = await post_row(author.id, "hotter")
    fans = [await sign_in() for _ in range(20)]
    target = gid("Post", post.id)

    async def toggles(token: str, times: int) -> list[str]:
        results = []
        for n in range(times):
            document = REACT if n % 2 == 0 else UNREACT
            reply = await gql.post(document, {"id": target, "kind": "LIKE"}, token=token)
            assert not reply.errors, reply.errors
            results.append(next(iter(reply.data.values()))["__typename"])
        return results

    runs = await asyncio.gather(*(toggles(fan.token, 5) for fan in fans))

    assert sum(len(run) for run in runs) == 100
    assert all(name in ("ReactSuccess", "UnreactSuccess") for run in runs for name in run)
    page = "query($slug: String!) { post(slug: $slug) { likeCount saveCount } }"
    rows = await Reaction.filter(target_kind=ReactionTargetKind.POST, target_id=post.id).count()
    counted = await gql.data(page, {"slug": "hot"})
    assert rows == counted["post"]["likeCount"] == 20  # each user ended on a like

    # One user, 40 likes and unlikes at once: one row at most, and the count agrees.
    same = gid("Post", other.id)
    replies = await asyncio.gather(
        *(
            gql.post(REACT if n % 2 else UNREACT, {"id": same, "kind": "LIKE"}, token=fans[0].token)
            for n in range(40)
        )
    )
    assert all(not reply.errors for reply in replies)
    mine = await Reaction.filter(user_id=fans[0].user.id, target_id=other.id).count()
    assert mine in (0, 1)
    assert (await gql.data(page, {"slug": "hotter"}))["post"]["likeCount"] == mine


POSTS_PAGE = """
query($n: Int!) { posts(first: $n) { edges { node { slug likeCount saveCount viewerHasLiked
  viewerHasSaved } } } }
"""
TUTORIALS_PAGE = """
query($n: Int!) { tutorials(first: $n) { edges { node { slug likeCount saveCount viewerHasLiked
  viewerHasSaved } } } }
"""


async def test_reaction_fields_cost_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    viewer = await sign_in()
    authors = [await make_user(role=Role.CREATOR) for _ in range(3)]
    fans = [await make_user() for _ in range(4)]
    posts = [(await post_row(authors[n % 3].id, f"post-{n}")).id for n in range(55)]
    tutorials = [(await tutorial_row(authors[n % 3].id, f"tutorial-{n}")).id for n in range(55)]
    rows = [
        Reaction(user_id=user.id, kind=kind, target_kind=target_kind, target_id=target)
        for target_kind, targets in (
            (ReactionTargetKind.POST, posts),
            (ReactionTargetKind.TUTORIAL, tutorials),
        )
        for n, target in enumerate(targets)
        for user, kind in (
            *((fan, ReactionKind.LIKE) for fan in fans[: n % 5]),
            (fans[0], ReactionKind.SAVE),
            *(((viewer.user, ReactionKind.LIKE),) if n % 2 else ()),
            *(((viewer.user, ReactionKind.SAVE),) if n % 3 == 0 else ()),
        )
    ]
    await Reaction.bulk_create(rows)
    await gql.data("{ viewer { id } }", token=viewer.token)  # the session's last use, written

    # The session, the page, the counts (likes and saves in one), the viewer's reactions.
    for document in (POSTS_PAGE, TUTORIALS_PAGE):
        small = await gql.post(document, {"n": 5}, token=viewer.token)
        large = await gql.post(document, {"n": 50}, token=viewer.token)
        anonymous = await gql.post(document, {"n": 50})
        assert not small.errors, small.errors
        assert not large.errors, large.errors
        edges = next(iter(large.data.values()))["edges"]
        assert len(edges) == 50
        newest = 54  # pages list the newest first
        assert edges[0]["node"] == {
            "slug": f"{'post' if document is POSTS_PAGE else 'tutorial'}-{newest}",
            "likeCount": newest % 5,  # four fans; not the viewer (54 is even)
            "saveCount": 2,
            "viewerHasLiked": False,
            "viewerHasSaved": True,
        }
        assert any(e["node"]["viewerHasLiked"] for e in edges)
        assert not all(e["node"]["viewerHasLiked"] for e in edges)
        assert small.sql == large.sql == 4, (document, small.sql, large.sql)
        assert anonymous.sql == 2  # no viewer: no session, no viewer query


async def test_a_deactivated_user_s_reactions_still_count(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    """Counts are of rows, like follower counts: deactivating an account hides it, and does
    not rewrite what it did."""
    post = await post_row((await make_user(role=Role.CREATOR)).id, "kept")
    fan = await sign_in()
    await react(gql, fan.token, gid("Post", post.id))
    await User.filter(id=fan.user.id).update(is_active=False)

    counted = await gql.data('{ post(slug: "kept") { likeCount } }')

    assert counted["post"]["likeCount"] == 1
