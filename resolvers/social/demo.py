"""Demo follows and share links: a small follow graph among the demo users, and share links
with clicks, among them one for every share code the demo orders carry (so their sales show)."""

from __future__ import annotations

from models.accounts import User
from models.catalog import Product
from models.content import Post, Topic
from models.orders import OrderLine
from models.social import Follow, FollowTargetKind, ShareChannel, ShareLink, ShareTargetKind

# This package's own function, from its module (its __init__ imports this one).
from resolvers.social.share_links import new_code

# follower -> the users they follow
DEMO_FOLLOWS: dict[str, list[str]] = {
    "shopper_1": ["trail_tom", "teahouse", "outdoor_gear"],
    "shopper_2": ["chef_ana", "teahouse"],
    "shopper_3": ["chef_ana", "trail_tom"],
    "shopper_4": ["chef_ana", "outdoor_gear"],
    "shopper_5": ["chef_ana"],
    "shopper_6": ["chef_ana", "trail_tom"],
    "chef_ana": ["teahouse", "trail_tom"],
    "trail_tom": ["chef_ana", "outdoor_gear"],
    "teahouse": ["chef_ana"],
}
# follower -> the topics they follow
DEMO_TOPIC_FOLLOWS: dict[str, list[str]] = {
    "shopper_1": ["tea", "hiking"],
    "shopper_2": ["recipes", "tea"],
    "shopper_3": ["gear"],
    "chef_ana": ["matcha"],
}
SPRING_CODE = "ana-spring"  # README's example code


async def seed_social_demo() -> None:
    """The demo follows and share links; nothing when share links exist."""
    if await ShareLink.exists():
        return
    users = dict(await User.all().values_list("handle", "id"))
    topics = dict(await Topic.all().values_list("slug", "id"))
    follows = [
        Follow(follower_id=users[a], target_kind=FollowTargetKind.USER, target_id=users[b])
        for a, followed in DEMO_FOLLOWS.items()
        for b in followed
        if a in users and b in users
    ] + [
        Follow(follower_id=users[a], target_kind=FollowTargetKind.TOPIC, target_id=topics[t])
        for a, followed in DEMO_TOPIC_FOLLOWS.items()
        for t in followed
        if a in users and t in topics
    ]
    await Follow.bulk_create(follows, ignore_conflicts=True)
    await _seed_share_links(users)


async def _seed_share_links(users: dict[str, int]) -> None:
    tea = await Product.filter(slug="dragon-well-green-tea").first()
    post = await Post.filter(slug="dragon-well-three-ways").first()
    links: list[ShareLink] = []
    taken: set[tuple[int, ShareTargetKind, int, ShareChannel]] = set()

    def add(code: str, sharer: int, kind: ShareTargetKind, target: int, clicks: int) -> None:
        for channel in ShareChannel:  # the first channel this sharer has no link to it on
            if (sharer, kind, target, channel) not in taken:
                taken.add((sharer, kind, target, channel))
                links.append(
                    ShareLink(
                        code=code,
                        sharer_id=sharer,
                        target_kind=kind,
                        target_id=target,
                        channel=channel,
                        clicks=clicks,
                    )
                )
                return

    if tea is not None and "chef_ana" in users:
        add(SPRING_CODE, users["chef_ana"], ShareTargetKind.PRODUCT, tea.id, 42)
    if post is not None and "shopper_1" in users:
        add(new_code(), users["shopper_1"], ShareTargetKind.POST, post.id, 7)
    if "trail_tom" in users:
        add(new_code(), users["trail_tom"], ShareTargetKind.USER, users["trail_tom"], 12)
    # The demo orders credit share codes: each becomes a link of its creator to the product.
    lines = (
        await OrderLine.filter(share_code__not_isnull=True, creator_id__not_isnull=True)
        .order_by("id")
        .values_list("share_code", "creator_id", "product_id")
    )
    seen = {link.code for link in links}
    for code, creator_id, product_id in lines:
        if code not in seen:
            seen.add(code)
            add(str(code), int(creator_id), ShareTargetKind.PRODUCT, int(product_id), 5)
    await ShareLink.bulk_create(links)
