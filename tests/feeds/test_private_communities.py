"""A private community's posts stay out of the feeds of non-members (who follow their author),
and show in members' feeds."""

from __future__ import annotations

from tests.communities.support import INVITE, JOIN, act, create_community, published_in
from tests.content.support import published_post
from tests.factories import SignIn
from tests.feeds.support import home_titles
from tests.social.support import follow
from tests.utils import GraphQLClient, gid


async def test_a_private_community_post_reaches_only_members_feeds(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author, member, outsider = await sign_in(), await sign_in(), await sign_in()
    crew = await create_community(gql, author.token, "Night Crew", visibility="PRIVATE")
    await act(gql, INVITE, author.token, c=crew["id"], u=gid("User", member.user.id))
    assert (await act(gql, JOIN, member.token, c=crew["id"]))["__typename"] == (
        "JoinCommunitySuccess"
    )
    for fan in (member, outsider):
        await follow(gql, fan.token, gid("User", author.user.id))
    await published_post(gql, author.token, title="Open to all")
    await published_in(gql, author.token, crew["id"], "Crew only")

    members_feed = await home_titles(gql, member.token)
    outsiders_feed = await home_titles(gql, outsider.token)

    assert members_feed == ["Crew only", "Open to all"]
    assert outsiders_feed == ["Open to all"]
