"""Reading notifications: private to their recipient, bad input refused without a change, and
a page's SQL the same for 5 and 50 (actors and targets through the request's loaders)."""

from __future__ import annotations

from typing import Any

from models.accounts import Role
from models.comments import Comment, CommentTargetKind
from models.notifications import Notification, NotificationKind, NotificationTargetKind
from resolvers.principal import Scope
from tests.comments.support import make_post
from tests.factories import MakeApp, MakeAppToken, MakeUser, SignIn
from tests.notifications.support import MARK, PAGE, inbox
from tests.utils import GraphQLClient, gid

Kind, Target = NotificationKind, NotificationTargetKind


async def _note(recipient: int, actors: list[int], **fields: Any) -> Notification:
    defaults: dict[str, Any] = {
        "kind": Kind.NEW_FOLLOWER,
        "target_kind": Target.USER,
        "target_id": recipient,
    }
    return await Notification.create(
        recipient_id=recipient,
        actor_count=len(actors),
        recent_actor_ids=actors[:3],
        **(defaults | fields),
    )


async def test_only_the_recipient_reads_them(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> None:
    me, other = await sign_in(), await sign_in()
    admin = await sign_in(role=Role.ADMIN)
    await _note(me.user.id, [other.user.id])
    mine = gid("User", me.user.id)
    query = """query($id: ID!) { node(id: $id) { ... on User {
        notifications(first: 5) { totalCount } unreadNotificationCount } } }"""
    reader = await make_app_token(await make_app(me.user, scopes=[Scope.READ_CONTENT.value]))
    blind = await make_app_token(await make_app(me.user, scopes=[Scope.READ_ORDERS.value]))

    seen = await gql.data(query, {"id": mine}, token=me.token)
    assert seen["node"] == {"notifications": {"totalCount": 1}, "unreadNotificationCount": 1}
    assert (await gql.data(query, {"id": mine}, token=reader))["node"]["notifications"] == {
        "totalCount": 1
    }
    for token in (other.token, admin.token, blind, None):
        node = (await gql.data(query, {"id": mine}, token=token))["node"]
        assert node == {"notifications": None, "unreadNotificationCount": None}, token


async def test_bad_input_is_refused_and_changes_nothing(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    me = await sign_in()
    note = await _note(me.user.id, [])
    not_a_note = gid("User", me.user.id)

    too_many = await gql.post(PAGE, {"n": 101}, token=me.token)
    bad_cursor = await gql.post(
        '{ viewer { notifications(after: "nope") { totalCount } } }', token=me.token
    )
    for reply in (too_many, bad_cursor):
        assert reply.status < 500, reply.body
        assert reply.codes == ["BAD_USER_INPUT"], reply.body

    for ids in ([not_a_note], ["garbage"], [gid("Notification", note.id)] * 101):
        reply = await gql.post(MARK, {"ids": ids}, token=me.token)
        assert reply.status < 500, reply.body
        payload = reply.data["markNotificationsRead"]
        assert (payload["__typename"], payload["field"]) == ("ValidationError", "ids"), ids
    assert (await Notification.get(id=note.id)).read_at is None


async def test_a_page_costs_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    me = await sign_in(role=Role.CREATOR)
    people = [await make_user() for _ in range(6)]
    post = await make_post(me.user.id)
    comments = [
        await Comment.create(
            author_id=people[n % 6].id,
            target_kind=CommentTargetKind.POST,
            target_id=post.id,
            body=f"comment {n}",
            body_html=f"<p>comment {n}</p>",
        )
        for n in range(12)
    ]
    for n in range(60):
        actors = [people[(n + k) % 6].id for k in range(1 + n % 3)]
        match n % 4:
            case 0:
                await _note(me.user.id, actors)
            case 1:
                await _note(
                    me.user.id, actors, kind=Kind.LIKE, target_kind=Target.POST, target_id=post.id
                )
            case 2:
                comment = comments[n % 12]
                await _note(
                    me.user.id,
                    actors[:1],
                    kind=Kind.COMMENT,
                    target_kind=Target.COMMENT,
                    target_id=comment.id,
                )
            case _:
                await _note(
                    me.user.id,
                    actors[:1],
                    kind=Kind.MENTION,
                    target_kind=Target.COMMENT,
                    target_id=comments[n % 12].id,
                )
    await gql.data("{ viewer { id } }", token=me.token)  # the session's last use, written

    small = await gql.post(PAGE, {"n": 5}, token=me.token)
    large = await gql.post(PAGE, {"n": 50}, token=me.token)

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    nodes = [e["node"] for e in large.data["viewer"]["notifications"]["edges"]]
    assert len(nodes) == 50
    assert all(node["target"] is not None and node["message"] for node in nodes)
    assert {node["kind"] for node in nodes} == {"NEW_FOLLOWER", "LIKE", "COMMENT", "MENTION"}
    # The session, the unread count, the page, its total, the actors (users), the liked posts,
    # the comments (whose posts are the same rows, from the same loader).
    assert small.sql == large.sql == 7, (small.sql, large.sql)
    assert len(await inbox(gql, me.token)) == 20
