"""Demo communities: `tea-lovers` (PUBLIC, OPEN) and `trail-crew` (PRIVATE, INVITE), with
members of every role, an invite, a few posts, a pinned announcement and some follows."""

from __future__ import annotations

from datetime import UTC, datetime

from models.accounts import User
from models.communities import (
    Community,
    CommunityMember,
    CommunityPin,
    CommunityVisibility,
    JoinPolicy,
    MemberRole,
    MemberStatus,
)
from models.social import Follow, FollowTargetKind
from resolvers.content import insert_post, publish_row

# slug, name, owner, policy, visibility, theme, description, rules
DEMO_COMMUNITIES = [
    (
        "tea-lovers",
        "Tea Lovers",
        "chef_ana",
        JoinPolicy.OPEN,
        CommunityVisibility.PUBLIC,
        "tea",
        "Brewing notes, tastings and teaware for everyone who loves a good cup.",
        ["Be kind.", "No spam or affiliate links without saying so."],
    ),
    (
        "trail-crew",
        "Trail Crew",
        "trail_tom",
        JoinPolicy.INVITE,
        CommunityVisibility.PRIVATE,
        "hiking",
        "Tom's invite-only crew: route scouting before the guides go public.",
        ["What is posted here stays here."],
    ),
]
# community slug -> [(handle, role, status)], the owner excluded
DEMO_MEMBERS: dict[str, list[tuple[str, MemberRole, MemberStatus]]] = {
    "tea-lovers": [
        ("teahouse", MemberRole.MODERATOR, MemberStatus.ACTIVE),
        ("shopper_1", MemberRole.MEMBER, MemberStatus.ACTIVE),
        ("shopper_2", MemberRole.MEMBER, MemberStatus.ACTIVE),
        ("shopper_3", MemberRole.MEMBER, MemberStatus.ACTIVE),
    ],
    "trail-crew": [
        ("outdoor_gear", MemberRole.ADMIN, MemberStatus.ACTIVE),
        ("shopper_1", MemberRole.MEMBER, MemberStatus.ACTIVE),
        ("shopper_4", MemberRole.MEMBER, MemberStatus.ACTIVE),
        ("shopper_3", MemberRole.MEMBER, MemberStatus.INVITED),
    ],
}
# (community slug, author, title, body, topics, pinned as: None, "pin" or "announcement")
DEMO_COMMUNITY_POSTS: list[tuple[str, str, str, str, list[str], str | None]] = [
    (
        "tea-lovers",
        "teahouse",
        "Welcome to Tea Lovers",
        "Say hello and tell us your everyday tea. Read the rules first.",
        ["welcome"],
        "announcement",
    ),
    (
        "tea-lovers",
        "shopper_1",
        "My first gongfu session",
        "Six short steeps of Dragon Well in a glass pot. The third was the best.",
        ["gongfu"],
        None,
    ),
    (
        "trail-crew",
        "outdoor_gear",
        "Scouting the north ridge",
        "Crew only for now: the north ridge loop, 14 km, water at km 9.",
        [],  # a topic would show the private post in its count
        "pin",
    ),
]
# follower -> the communities they follow
DEMO_COMMUNITY_FOLLOWS = {
    "shopper_1": ["tea-lovers", "trail-crew"],
    "shopper_2": ["tea-lovers"],
    "shopper_5": ["tea-lovers"],
}


async def seed_communities_demo() -> None:
    """The demo communities; nothing when any community exists."""
    if await Community.exists():
        return
    users = {str(k): int(v) for k, v in await User.all().values_list("handle", "id")}
    made: dict[str, int] = {}
    for slug, name, owner, policy, visibility, theme, description, rules in DEMO_COMMUNITIES:
        if owner not in users:
            continue
        row = await Community.create(
            slug=slug,
            name=name,
            creator_id=users[owner],
            join_policy=policy,
            visibility=visibility,
            theme=theme,
            description=description,
            rules=rules,
        )
        made[slug] = row.id
        members = [(owner, MemberRole.OWNER, MemberStatus.ACTIVE), *DEMO_MEMBERS[slug]]
        await CommunityMember.bulk_create(
            [
                CommunityMember(community_id=row.id, user_id=users[h], role=r, status=s)
                for h, r, s in members
                if h in users
            ]
        )
    await _seed_posts(users, made)
    await Follow.bulk_create(
        [
            Follow(follower_id=users[h], target_kind=FollowTargetKind.COMMUNITY, target_id=made[c])
            for h, slugs in DEMO_COMMUNITY_FOLLOWS.items()
            for c in slugs
            if h in users and c in made
        ],
        ignore_conflicts=True,
    )


async def _seed_posts(users: dict[str, int], made: dict[str, int]) -> None:
    now = datetime.now(UTC)
    for slug, author, title, body, topics, pinned in DEMO_COMMUNITY_POSTS:
        if slug not in made or author not in users:
            continue
        post = await insert_post(
            users[author], title=title, body=body, topics=topics, community_id=made[slug]
        )
        await publish_row(post.id, None, now)
        if pinned is not None:
            await CommunityPin.create(
                community_id=made[slug],
                post_id=post.id,
                announcement=pinned == "announcement",
                pinned_by_id=users[author],
            )
