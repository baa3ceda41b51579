"""Banned and muted members lose their voice in the community: no comments, no likes; reading
stays as the community allows. (Posting is tests/communities' posting rules.)"""

from __future__ import annotations

from tests.comments.support import add
from tests.communities.support import BAN, JOIN, MUTE, UNBAN, act, create_community, published_in
from tests.factories import SignIn
from tests.reactions.support import react
from tests.utils import GraphQLClient, gid


async def test_a_banned_or_muted_member_cannot_comment_or_react_until_unbanned(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    owner, troll, quiet = await sign_in(), await sign_in(), await sign_in()
    community = await create_community(gql, owner.token, "Calm Tea")
    for member in (troll, quiet):
        assert (await act(gql, JOIN, member.token, c=community["id"]))["__typename"] == (
            "JoinCommunitySuccess"
        )
    post = await published_in(gql, owner.token, community["id"], "House rules")
    for user, document in ((troll, BAN), (quiet, MUTE)):
        done = await act(gql, document, owner.token, c=community["id"], u=gid("User", user.user.id))
        assert done["__typename"].endswith("Success"), done

    banned_comment = await add(gql, troll.token, post["id"], "spam")
    banned_like = await react(gql, troll.token, post["id"])
    muted_comment = await add(gql, quiet.token, post["id"], "hello?")
    muted_like = await react(gql, quiet.token, post["id"])
    await act(gql, UNBAN, owner.token, c=community["id"], u=gid("User", troll.user.id))
    outsider_after_unban = await add(gql, troll.token, post["id"], "sorry")

    assert banned_comment["__typename"] == "PermissionDeniedError"
    assert banned_like["__typename"] == "PermissionDeniedError"
    assert muted_comment["__typename"] == "PermissionDeniedError"
    assert muted_like["__typename"] == "PermissionDeniedError"
    # Unbanned, they are an outsider of a public community: free to comment again.
    assert outsider_after_unban["__typename"] == "AddCommentSuccess"
