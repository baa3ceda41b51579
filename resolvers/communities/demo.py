"""Demo communities: `tea-lovers` (PUBLIC, OPEN) and `trail-crew` (PRIVATE, INVITE), with
members of every role, an invite (trail_tom's, of shopper_3), a pinned announcement, some
follows, and posts over the last days: the home feeds of the demo shoppers who follow the tea
house and Summit Outfitters are full on first start. (Not trail_tom's: creator pages count
every published post, so private ones would show in his public postCount.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
# community slug -> (invitee, inviter): who sent each INVITED row above
DEMO_INVITERS = {("trail-crew", "shopper_3"): "trail_tom"}
# (community slug, author, title, body, topics, pinned as: None, "pin" or "announcement",
# published how many hours ago)
DEMO_COMMUNITY_POSTS: list[tuple[str, str, str, str, list[str], str | None, int]] = [
    (
        "tea-lovers",
        "teahouse",
        "Welcome to Tea Lovers",
        "Say hello and tell us your everyday tea. Read the rules first.",
        ["welcome"],
        "announcement",
        0,
    ),
    (
        "tea-lovers",
        "shopper_1",
        "My first gongfu session",
        "Six short steeps of Dragon Well in a glass pot. The third was the best.",
        ["gongfu"],
        None,
        0,
    ),
    (
        "trail-crew",
        "outdoor_gear",
        "Scouting the north ridge",
        "Crew only for now: the north ridge loop, 14 km, water at km 9.",
        [],  # a topic would show the private post in its count
        "pin",
        0,
    ),
    (
        "tea-lovers",
        "teahouse",
        "Tasting notes: spring Dragon Well",
        "Chestnut on the nose, a sweet finish. Brew it at 80 °C for the first steep.",
        ["tastings"],
        None,
        5,
    ),
    (
        "tea-lovers",
        "teahouse",
        "How we store tea at the shop",
        "Airtight tins, away from light and spices. Green tea in the fridge after opening.",
        ["storage"],
        None,
        20,
    ),
    (
        "tea-lovers",
        "teahouse",
        "Water matters more than you think",
        "Soft, filtered water, never boiled twice. Try the same leaves in two waters.",
        ["brewing"],
        None,
        44,
    ),
    (
        "tea-lovers",
        "teahouse",
        "A visit to our growers in Hangzhou",
        "Photos from the picking season, and why the first flush costs what it does.",
        ["tastings"],
        None,
        70,
    ),
    (
        "trail-crew",
        "outdoor_gear",
        "Crew hike this Saturday",
        "Meet at the north trailhead at 7. Bring 2 l of water; the spring at km 9 is dry.",
        [],
        None,
        3,
    ),
    (
        "trail-crew",
        "outdoor_gear",
        "Testing the new tent in the rain",
        "Two nights of rain, dry inside. The vestibule fits both packs.",
        [],
        None,
        26,
    ),
    (
        "trail-crew",
        "outdoor_gear",
        "Draft route: the lake loop",
        "22 km, 900 m up. Tell me if the descent is too steep before I publish the guide.",
        [],
        None,
        50,
    ),
    (
        "trail-crew",
        "outdoor_gear",
        "Trail food that keeps",
        "Oat bars, dried mango, hard cheese. What do you pack for three days?",
        [],
        None,
        96,
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
                CommunityMember(
                    community_id=row.id,
                    user_id=users[h],
                    role=r,
                    status=s,
                    invited_by_id=users.get(DEMO_INVITERS.get((slug, h), "")),
                )
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
    for slug, author, title, body, topics, pinned, hours_ago in DEMO_COMMUNITY_POSTS:
        if slug not in made or author not in users:
            continue
        post = await insert_post(
            users[author], title=title, body=body, topics=topics, community_id=made[slug]
        )
        await publish_row(post.id, None, now - timedelta(hours=hours_ago))
        if pinned is not None:
            await CommunityPin.create(
                community_id=made[slug],
                post_id=post.id,
                announcement=pinned == "announcement",
                pinned_by_id=users[author],
            )
