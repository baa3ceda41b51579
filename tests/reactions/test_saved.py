"""The viewer's saved posts and tutorials: newest save first, stable cursors, items that
became invisible left out, private to their saver, and the SQL a page costs."""

from __future__ import annotations

from models.accounts import Role, User
from models.content import Post, PostStatus, Tutorial, TutorialStatus
from models.reactions import Reaction, ReactionKind, ReactionTargetKind
from tests.factories import MakeApp, MakeAppToken, MakeUser, SignIn
from tests.reactions.support import SAVED, post_row, react, saved_slugs, tutorial_row, unreact
from tests.utils import GraphQLClient, gid


async def test_saved_items_newest_first_with_cursors_stable_under_new_saves(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    me = await sign_in()
    author = await make_user(role=Role.CREATOR, handle="ana_s")
    posts = [await post_row(author.id, f"post-{n}") for n in range(3)]
    tutorial = await tutorial_row(author.id, "gongfu")
    for post in posts:
        await react(gql, me.token, gid("Post", post.id), "SAVE")
    await react(gql, me.token, gid("Tutorial", tutorial.id), "SAVE")
    await react(gql, me.token, gid("Post", posts[0].id), "LIKE")  # a like is no save

    first = await gql.data(SAVED, {"n": 2}, token=me.token)
    page = first["viewer"]["saved"]
    assert [e["node"]["slug"] for e in page["edges"]] == ["gongfu", "post-2"]
    assert page["edges"][0]["node"] == {
        "__typename": "Tutorial",
        "slug": "gongfu",
        "likeCount": 0,
        "viewerHasLiked": False,
        "viewerHasSaved": True,
        "by": {"handle": "ana_s"},
    }
    assert page["totalCount"] == 4
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["edges"][0]["savedAt"] >= page["edges"][1]["savedAt"]

    # A new save goes on top; the next page after the cursor neither repeats nor skips.
    newer = await post_row(author.id, "newer")
    await react(gql, me.token, gid("Post", newer.id), "SAVE")
    after = {"n": 10, "after": page["pageInfo"]["endCursor"]}
    rest = (await gql.data(SAVED, after, token=me.token))["viewer"]["saved"]
    assert [e["node"]["slug"] for e in rest["edges"]] == ["post-1", "post-0"]
    assert rest["edges"][1]["node"]["viewerHasLiked"] is True
    assert rest["pageInfo"]["hasNextPage"] is False
    assert await saved_slugs(gql, me.token) == ["newer", "gongfu", "post-2", "post-1", "post-0"]

    # Saving again keeps the first save's place; unsaving takes it out.
    await react(gql, me.token, gid("Post", posts[0].id), "SAVE")
    await unreact(gql, me.token, gid("Post", posts[1].id), "SAVE")
    assert await saved_slugs(gql, me.token) == ["newer", "gongfu", "post-2", "post-0"]


async def test_items_that_became_invisible_leave_the_list_and_come_back(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    me = await sign_in()
    author = await make_user(role=Role.CREATOR)
    other = await make_user(role=Role.CREATOR)
    archived = await post_row(author.id, "archived")
    drafted = await tutorial_row(author.id, "drafted")
    orphan = await post_row(other.id, "orphan")
    kept = await post_row(author.id, "kept")
    mine = await post_row(me.user.id, "mine")
    for kind, row in (("Post", archived), ("Tutorial", drafted), ("Post", orphan)):
        await react(gql, me.token, gid(kind, row.id), "SAVE")
    for row in (kept, mine):
        await react(gql, me.token, gid("Post", row.id), "SAVE")

    await Post.filter(id=archived.id).update(status=PostStatus.ARCHIVED)
    await Tutorial.filter(id=drafted.id).update(status=TutorialStatus.DRAFT)
    await User.filter(id=other.id).update(is_active=False)
    await Post.filter(id=mine.id).update(status=PostStatus.DRAFT)  # my own draft: I see it

    hidden = await gql.data(SAVED, {"n": 10}, token=me.token)
    assert [e["node"]["slug"] for e in hidden["viewer"]["saved"]["edges"]] == ["mine", "kept"]
    assert hidden["viewer"]["saved"]["totalCount"] == 2
    assert await Reaction.filter(user_id=me.user.id).count() == 5  # hidden, not deleted

    await Post.filter(id=archived.id).update(status=PostStatus.PUBLISHED)
    await Tutorial.filter(id=drafted.id).update(status=TutorialStatus.PUBLISHED)
    await User.filter(id=other.id).update(is_active=True)
    back = ["mine", "kept", "orphan", "drafted", "archived"]
    assert await saved_slugs(gql, me.token) == back


async def test_saves_are_private_to_their_saver(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_user: MakeUser,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> None:
    me = await sign_in()
    post = await post_row((await make_user(role=Role.CREATOR)).id, "tea")
    await react(gql, me.token, gid("Post", post.id), "SAVE")
    stranger = await sign_in()
    admin = await sign_in(role=Role.ADMIN)
    reader = await make_app_token(await make_app(me.user, scopes=["read:content"]))
    writer = await make_app_token(await make_app(me.user, scopes=["write:content"]))
    theirs = "query($h: String!) { user(handle: $h) { saved { totalCount } } }"

    for token in (None, stranger.token, admin.token):
        found = await gql.data(theirs, {"h": me.user.handle}, token=token)
        assert found == {"user": {"saved": None}}, token
    assert (await gql.data(SAVED, {}, token=writer))["viewer"]["saved"] is None
    assert await saved_slugs(gql, reader) == ["tea"]
    assert await saved_slugs(gql, me.token) == ["tea"]


async def test_bad_paging_is_bad_user_input(gql: GraphQLClient, sign_in: SignIn) -> None:
    me = await sign_in()
    bad_cursor = await gql.post(SAVED, {"n": 5, "after": "garbage"}, token=me.token)
    too_many = await gql.post(SAVED, {"n": 101}, token=me.token)
    foreign = await gql.post(SAVED, {"n": 5, "after": "azoxMjM0NQ"}, token=me.token)  # "k:12345"

    for reply in (bad_cursor, too_many, foreign):
        assert reply.status < 500, reply.body
        assert reply.codes == ["BAD_USER_INPUT"], reply.body


async def test_a_saved_page_costs_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    me = await sign_in()
    authors = [await make_user(role=Role.CREATOR) for _ in range(3)]
    posts = [await post_row(authors[n % 3].id, f"post-{n}") for n in range(30)]
    tutorials = [await tutorial_row(authors[n % 3].id, f"tutorial-{n}") for n in range(30)]
    hidden = await post_row(authors[0].id, "hidden", PostStatus.ARCHIVED)
    rows = [
        Reaction(user_id=me.user.id, kind=ReactionKind.SAVE, target_kind=kind, target_id=row.id)
        for post, tutorial in zip(posts, tutorials, strict=True)
        for kind, row in ((ReactionTargetKind.POST, post), (ReactionTargetKind.TUTORIAL, tutorial))
    ]
    rows.insert(
        50,
        Reaction(
            user_id=me.user.id, kind=ReactionKind.SAVE, target_kind="post", target_id=hidden.id
        ),
    )
    rows += [
        Reaction(user_id=a.id, kind=ReactionKind.LIKE, target_kind="post", target_id=p.id)
        for a in authors
        for p in posts[::2]
    ]
    await Reaction.bulk_create(rows)
    await gql.data("{ viewer { id } }", token=me.token)  # the session's last use, written

    small = await gql.post(SAVED, {"n": 5}, token=me.token)
    large = await gql.post(SAVED, {"n": 50}, token=me.token)

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    edges = large.data["viewer"]["saved"]["edges"]
    assert len(edges) == 50
    assert "hidden" not in [e["node"]["slug"] for e in edges]
    assert {e["node"]["__typename"] for e in small.data["viewer"]["saved"]["edges"]} == {
        "Post",
        "Tutorial",
    }
    assert large.data["viewer"]["saved"]["totalCount"] == 60
    # The session, the page of saves, its posts, its tutorials, their authors, the counts of
    # each kind, the viewer's reactions to each kind; and the total.
    assert small.sql == large.sql == 10, (small.sql, large.sql)
