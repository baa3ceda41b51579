"""The demo communities: what the README's Communities examples rely on."""

from __future__ import annotations

from typing import Any

from models.communities import (
    Community,
    CommunityMember,
    CommunityPin,
    CommunityVisibility,
    MemberStatus,
)
from models.content import Post, PostStatus
from resolvers.seed import seed_demo


async def test_demo_has_a_public_and_a_private_community_with_posts(running: Any) -> None:
    await seed_demo()

    public = await Community.get(slug="tea-lovers")
    private = await Community.get(slug="trail-crew")
    assert public.visibility is CommunityVisibility.PUBLIC
    assert private.visibility is CommunityVisibility.PRIVATE
    for community in (public, private):
        members = CommunityMember.filter(community_id=community.id, status=MemberStatus.ACTIVE)
        assert await members.count() >= 3
        posts = Post.filter(community_id=community.id, status=PostStatus.PUBLISHED)
        assert await posts.count() >= 1
    assert await CommunityPin.filter(community_id=public.id, announcement=True).exists()
    invited = CommunityMember.filter(community_id=private.id, status=MemberStatus.INVITED)
    assert await invited.exists()
    await seed_demo()  # again: nothing more
    assert await Community.all().count() == 2
