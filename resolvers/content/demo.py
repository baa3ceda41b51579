"""Demo posts by the demo creators: published ones with topics, one scheduled, one draft; and
a published tutorial of chef_ana's with a parts list of the tea house's products."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.accounts import User
from models.catalog import Product, Variant
from models.content import Difficulty, Post, Tutorial
from resolvers.content.tutorial_checks import PartSpec, ProductRef, StepSpec
from resolvers.content.tutorial_writing import content_of, insert_tutorial, publish_tutorial_row

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
    """The demo posts and tutorials; nothing of a kind that exists already."""
    await _seed_tutorials()
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


# (product slug, variant title or None for the product's only variant, quantity, note)
DEMO_PARTS: list[tuple[str, str | None, int, str]] = [
    ("glass-gongfu-teapot", "200 ml", 1, "Any small teapot works."),
    ("dragon-well-green-tea", "50 g", 2, ""),
    ("aged-pu-erh-cake", None, 1, "For the second session."),
    ("glass-gongfu-teapot", "350 ml", 1, "Or the larger one, for four."),
]
DEMO_STEPS = [
    ("Warm the pot", "Rinse the teapot with water just off the boil.", ["glass-gongfu-teapot"]),
    ("Measure", "Use **5 g** of leaves per 100 ml of water.", ["dragon-well-green-tea"]),
    ("Steep", "Steep 20 seconds, pour it all out; add 5 seconds each round.", []),
]


async def _seed_tutorials() -> None:
    if await Tutorial.exists():
        return
    author = await User.filter(handle="chef_ana").first()
    products = {p.slug: p for p in await Product.filter(slug__in=[s for s, *_ in DEMO_PARTS])}
    if author is None or len(products) < 3:
        return
    variants = {
        (v.product_id, v.title): v.id
        for v in await Variant.filter(product_id__in=[p.id for p in products.values()])
    }

    def variant(slug: str, title: str | None) -> int | None:
        return variants[(products[slug].id, title)] if title else None

    steps = [
        StepSpec(body=body, title=title, products=[ProductRef(products[s].id) for s in used])
        for title, body, used in DEMO_STEPS
    ]
    parts = [
        PartSpec(products[slug].id, variant(slug, title), quantity, note)
        for slug, title, quantity, note in DEMO_PARTS
    ]
    row = await insert_tutorial(
        author.id,
        title="Gongfu tea at home",
        summary="A small pot, good leaves and short steeps: **gongfu** brewing in three steps.",
        difficulty=Difficulty.EASY,
        duration_minutes=20,
        cover_media_id=None,
        content=content_of(steps, parts),
    )
    await publish_tutorial_row(row.id, datetime.now(UTC))
