"""Demo posts by the demo creators: published ones with topics, one scheduled, one draft; and
a published tutorial of chef_ana's with a parts list of the tea house's products."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import anyio
from PIL import Image, ImageDraw

from models.accounts import User
from models.catalog import Product, Variant
from models.content import (
    Difficulty,
    Post,
    PostRevision,
    ShoppableTag,
    TagTarget,
    Tutorial,
    TutorialStep,
)
from resolvers.content.tutorial_checks import PartSpec, ProductRef, StepSpec
from resolvers.content.tutorial_writing import (
    content_of,
    insert_tutorial,
    publish_tutorial_row,
    reindex_products,
)

# This package's own functions, from their module (its __init__ imports this one).
from resolvers.content.writing import insert_post, publish_row
from resolvers.media import store_image
from storage.media import Storage

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


async def seed_content_demo(storage: Storage | None = None) -> None:
    """The demo posts and tutorials; nothing of a kind that exists already. With a
    storage, the posts' media and tags too."""
    await _seed_tutorials()
    if storage is not None:
        await seed_tutorial_media(storage)
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
    if storage is not None:
        await seed_post_media(storage)


# (post title, [(image caption, colour)], [(image index, product title, variant title or "",
# x, y)]): the first image is the cover, the rest the gallery.
DEMO_MEDIA: list[tuple[str, list[tuple[str, str]], list[tuple[int, str, str, float, float]]]] = [
    (
        "Dragon Well, three ways",
        [("cover", "#6b8e23"), ("brewed", "#c5d86d"), ("teapot", "#a7c4bc")],
        [
            (0, "Dragon Well Green Tea", "50 g", 0.42, 0.6),
            (2, "Glass Gongfu Teapot", "200 ml", 0.5, 0.45),
            (2, "Dragon Well Green Tea", "", 0.2, 0.8),
        ],
    ),
    (
        "Packing for a three-day hike",
        [("pack", "#8b5a2b"), ("camp", "#2e8b57")],
        [(0, "Trail Stove Kit", "", 0.3, 0.7), (1, "Ultralight 2P Tent", "Green", 0.55, 0.4)],
    ),
]


def demo_image(caption: str, colour: str) -> bytes:
    """A small real PNG: a coloured field with a lighter block, so variants have content."""
    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((160, 120, 480, 360), fill="#f5f5dc")
    ImageDraw.Draw(image).text((180, 140), caption, fill="#000000")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


async def _demo_media(storage: Storage, owner_id: int, caption: str, colour: str) -> int:
    """A real image, stored and processed as an upload is (a READY media with variants)."""
    data = await anyio.to_thread.run_sync(demo_image, caption, colour)
    media = await store_image(storage, owner_id, data, "image/png", f"{caption}.png")
    return int(media.id)


async def seed_post_media(storage: Storage) -> None:
    """Covers, galleries and product tags for demo posts (real images in storage)."""
    products = {p.title: p for p in await Product.filter(title__in=_tagged_titles())}
    for title, images, tags in DEMO_MEDIA:
        post = await Post.get_or_none(title=title)
        if post is None or post.cover_media_id is not None:
            continue
        ids = [await _demo_media(storage, post.author_id, c, colour) for c, colour in images]
        await Post.filter(id=post.id).update(cover_media_id=ids[0], media_ids=ids[1:])
        await PostRevision.filter(post_id=post.id).update(cover_media_id=ids[0], media_ids=ids[1:])
        rows = []
        for n, (image, product_title, variant_title, x, y) in enumerate(tags):
            product = products.get(product_title)
            if product is None:
                continue
            variant = (
                await Variant.get_or_none(product_id=product.id, title=variant_title)
                if variant_title
                else None
            )
            rows.append(
                ShoppableTag(
                    target_kind=TagTarget.POST,
                    target_id=post.id,
                    media_id=ids[image],
                    product_id=product.id,
                    variant_id=variant.id if variant else None,
                    x=x,
                    y=y,
                    position=n,
                )
            )
        await ShoppableTag.bulk_create(rows)


def _tagged_titles() -> list[str]:
    return sorted({tag[1] for _, _, tags in DEMO_MEDIA for tag in tags})


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


# The demo tutorial's cover, one image per step (None: no image) and the tags on each step's
# image: (product slug, variant title or "", x, y).
TUTORIAL_COVER = ("gongfu tea", "#7a9e7e")
TUTORIAL_STEP_MEDIA: list[tuple[tuple[str, str], list[tuple[str, str, float, float]]] | None] = [
    (("warm the pot", "#b0c4de"), [("glass-gongfu-teapot", "200 ml", 0.5, 0.55)]),
    (("measure", "#9acd32"), [("dragon-well-green-tea", "50 g", 0.35, 0.6)]),
    None,
]


async def seed_tutorial_media(storage: Storage) -> None:
    """A cover and step images for the demo tutorial, with products tagged on them."""
    tutorial = await Tutorial.get_or_none(title="Gongfu tea at home")
    if tutorial is None or tutorial.cover_media_id is not None:
        return
    owner = tutorial.author_id
    cover = await _demo_media(storage, owner, *TUTORIAL_COVER)
    await Tutorial.filter(id=tutorial.id).update(cover_media_id=cover)
    steps = await TutorialStep.filter(tutorial_id=tutorial.id).order_by("position")
    slugs = [tag[0] for spec in TUTORIAL_STEP_MEDIA if spec for tag in spec[1]]
    products = {p.slug: p for p in await Product.filter(slug__in=slugs)}
    rows = []
    for step, spec in zip(steps, TUTORIAL_STEP_MEDIA, strict=False):
        if spec is None:
            continue
        (caption, colour), tags = spec
        image = await _demo_media(storage, owner, caption, colour)
        await TutorialStep.filter(id=step.id).update(media_ids=[image])
        for n, (slug, variant_title, x, y) in enumerate(tags):
            product = products.get(slug)
            if product is None:
                continue
            variant = await Variant.get_or_none(product_id=product.id, title=variant_title)
            rows.append(
                ShoppableTag(
                    target_kind=TagTarget.TUTORIAL,
                    target_id=tutorial.id,
                    media_id=image,
                    product_id=product.id,
                    variant_id=variant.id if variant else None,
                    x=x,
                    y=y,
                    position=n,
                )
            )
    await ShoppableTag.bulk_create(rows)
    await reindex_products(tutorial.id)
