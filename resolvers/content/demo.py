"""Demo posts by the demo creators: published ones with topics, one scheduled, one draft."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.accounts import User
from models.content import Post

# This package's own functions, from their module (its __init__ imports this one).
from resolvers.content.writing import insert_post, publish_row

# (author, title, Markdown body, topics, when: "now", "draft" or days ahead to schedule)
DEMO_POSTS: list[tuple[str, str, str, list[str], str | int]] = [
    (
        "chef_ana",
        "Dragon Well, three ways",
        "Green tea is not only for the cup.\n\n"
        "1. **Brewed** at 80 °C, two minutes\n"
        "2. *Cold brewed* overnight\n"
        "3. Ground into a shortbread dough\n\n"
        "The leaves I use: [Lin's Tea House](https://agora.test/merchants/lins-tea-house).",
        ["#Tea", "recipes"],
        "now",
    ),
    (
        "chef_ana",
        "Matcha latte at home",
        "Whisk 2 g of matcha with 30 ml of water at 75 °C, then add warm milk.\n\n"
        "> Sift the matcha first, or it clumps.",
        ["matcha", "tea", "recipes"],
        "now",
    ),
    (
        "chef_ana",
        "Winter soups",
        "Notes for a series: miso, ribollita, pho.",
        ["recipes"],
        "draft",
    ),
    (
        "trail_tom",
        "Packing for a three-day hike",
        "What goes in my 40 l pack:\n\n- tent and sleeping bag\n- stove, pot, two gas cans\n"
        "- rain shell (always)\n\n~~Cotton socks~~ wool socks.",
        ["hiking", "gear"],
        "now",
    ),
    (
        "trail_tom",
        "Autumn trail guide",
        "Five ridge walks for the first cold weekend. Out next week.",
        ["hiking", "autumn"],
        7,
    ),
]


async def seed_content_demo() -> None:
    """The demo posts; nothing when posts exist."""
    if await Post.exists():
        return
    handles = ["chef_ana", "trail_tom"]
    authors = dict(await User.filter(handle__in=handles).values_list("handle", "id"))
    now = datetime.now(UTC)
    for handle, title, body, topics, when in DEMO_POSTS:
        if handle not in authors:
            continue
        post = await insert_post(int(authors[handle]), title=title, body=body, topics=topics)
        if when == "now":
            await publish_row(post.id, None, now)
        elif isinstance(when, int):
            await publish_row(post.id, now + timedelta(days=when), now)
