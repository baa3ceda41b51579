"""A community's moderators (moderator, admin, owner) moderate the posts in it and the
comments on them, see those in their queue, and nothing outside; site staff see everything."""

from __future__ import annotations

from models.accounts import Role
from models.communities import MemberRole
from models.content import Post
from tests.comments.support import make_comment, make_tutorial
from tests.factories import MakeApp, MakeAppToken, SignIn
from tests.moderation.support import (
    QUEUE,
    add_member,
    make_community,
    make_post,
    moderate,
    queue,
    report,
    target_id,
)
from tests.utils import GraphQLClient, gid


async def test_community_moderators_act_inside_their_community_only(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    owner, mod, member, reporter = [await sign_in() for _ in range(4)]
    staff = await sign_in(role=Role.MODERATOR)
    ours = await make_community(owner.user.id)
    theirs = await make_community((await sign_in()).user.id)
    await add_member(ours, mod.user.id, MemberRole.MODERATOR)
    await add_member(ours, member.user.id)
    inside = await make_post(member.user.id, ours)
    comment = await make_comment(member.user.id, inside, "Rude")
    outside = await make_post(member.user.id)
    elsewhere = await make_post(member.user.id, theirs)
    tutorial = await make_tutorial(member.user.id)
    for target in (inside, comment, outside, elsewhere, tutorial, ours):
        assert (await report(gql, reporter.token, target_id(target)))[
            "__typename"
        ] == "ReportSuccess"
    app = await make_app_token(await make_app(mod.user, scopes=["read:content", "write:content"]))

    mod_queue = await queue(gql, mod.token)
    filtered = await queue(gql, mod.token, community=gid("Community", ours.id))
    not_theirs = await gql.post(
        QUEUE, {"filter": {"community": gid("Community", theirs.id)}}, token=mod.token
    )
    member_queue = await queue(gql, member.token)
    staff_queue = await queue(gql, staff.token)
    by_app = await gql.post(QUEUE, {}, token=app)
    hid_post = await moderate(gql, mod.token, target_id(inside), "HIDE", "Off-topic")
    hid_comment = await moderate(gql, mod.token, target_id(comment), "HIDE")
    refused = {
        name: (await moderate(gql, mod.token, target_id(row), "HIDE")).codes
        for name, row in {
            "outside": outside,
            "elsewhere": elsewhere,
            "tutorial": tutorial,
            "community": ours,
        }.items()
    }
    as_member = await moderate(gql, member.token, target_id(inside), "RESTORE")
    through_app = await moderate(gql, app, target_id(inside), "RESTORE")
    seen = "query($id: ID!) { node(id: $id) { id } }"
    by_mod = await gql.data(seen, {"id": target_id(inside)}, token=mod.token)
    by_reporter = await gql.data(seen, {"id": target_id(inside)}, token=reporter.token)

    assert {item["target"]["id"] for item in mod_queue} == {target_id(inside), target_id(comment)}
    assert all(item["community"] == {"slug": ours.slug} for item in mod_queue)
    assert filtered == mod_queue
    assert not_theirs.codes == ["FORBIDDEN"]
    assert member_queue == []
    assert len(staff_queue) == 6
    assert by_app.codes == ["FORBIDDEN"]
    assert hid_post.data["moderate"]["hidden"] is True, hid_post.body
    assert hid_comment.data["moderate"]["hidden"] is True, hid_comment.body
    assert refused == {name: ["FORBIDDEN"] for name in refused}
    assert as_member.codes == ["FORBIDDEN"]
    assert through_app.codes == ["FORBIDDEN"]
    assert by_mod == {"node": {"id": target_id(inside)}}  # its community's moderators see it
    assert by_reporter == {"node": None}
    assert (await Post.get(id=inside.id)).hidden_by_id == mod.user.id
