"""Demo and benchmark data. Idempotent: a profile that is already loaded is left alone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from models.accounts import Role, User
from models.apps import App
from models.catalog import Category, Merchant, Product, ProductStatus, ProductTag, Variant
from resolvers.accounts import hash_password
from resolvers.apps import insert_app
from resolvers.catalog import slugify
from resolvers.comments import seed_comments_demo
from resolvers.communities import seed_communities_demo
from resolvers.content import seed_content_demo
from resolvers.creators import seed_creators_demo
from resolvers.moderation import seed_moderation_demo
from resolvers.notifications import seed_notifications_demo
from resolvers.orders import seed_commerce_demo
from resolvers.principal import ROLE_SCOPES
from resolvers.reactions import seed_reactions_demo
from resolvers.reviews import seed_reviews_demo
from resolvers.social import seed_social_demo
from storage.media import Storage

DEMO_PASSWORD = "agora-demo-pass"
Advance = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class DemoUser:
    handle: str
    display_name: str
    role: Role
    bio: str = ""


DEMO_USERS = [
    DemoUser("admin", "Agora Admin", Role.ADMIN, "Runs the platform."),
    DemoUser("mod_mia", "Mia (moderator)", Role.MODERATOR, "Keeps the communities kind."),
    DemoUser("teahouse", "Lin's Tea House", Role.MERCHANT, "Single-origin teas, shipped fresh."),
    DemoUser("outdoor_gear", "Summit Outfitters", Role.MERCHANT, "Tents, packs and trail food."),
    DemoUser("chef_ana", "Ana Cooks", Role.CREATOR, "Weeknight recipes and kitchen tools."),
    DemoUser("trail_tom", "Tom on the Trail", Role.CREATOR, "Hiking guides and gear reviews."),
    *(DemoUser(f"shopper_{n}", f"Shopper {n}", Role.SHOPPER) for n in range(1, 7)),
]


@dataclass(frozen=True, slots=True)
class DemoProduct:
    merchant: str
    category: str
    title: str
    tags: tuple[str, ...]
    variants: tuple[tuple[str, int, int], ...]  # (title, price in cents, stock)
    description: str = ""
    option: str = ""  # the option the variants differ in, valued by their titles

    def options(self, title: str) -> dict[str, str]:
        return {self.option: title} if self.option else {}


DEMO_CATEGORIES = {  # slug: (name, parent slug)
    "food-drink": ("Food & drink", None),
    "tea": ("Tea", "food-drink"),
    "kitchen": ("Kitchen", None),
    "outdoors": ("Outdoors", None),
    "camping": ("Camping", "outdoors"),
}
DEMO_MERCHANTS = {
    "teahouse": ("Lin's Tea House", "Three generations of tea growers."),
    "outdoor_gear": ("Summit Outfitters", "Gear we carry up mountains ourselves."),
}
DEMO_PRODUCTS = [
    DemoProduct(
        "teahouse",
        "tea",
        "Dragon Well Green Tea",
        ("green", "spring-harvest"),
        (("50 g", 1250, 40), ("100 g", 2200, 25)),
        "<p>Pan-fired by hand in <strong>Hangzhou</strong>.</p>",
        option="size",
    ),
    DemoProduct(
        "teahouse",
        "tea",
        "Aged Pu-erh Cake",
        ("dark", "gift"),
        (("357 g cake", 6800, 8),),
        "<p>Pressed in 2016; earthy and sweet.</p>",
        option="size",
    ),
    DemoProduct(
        "teahouse",
        "kitchen",
        "Glass Gongfu Teapot",
        ("teaware",),
        (("200 ml", 3400, 15), ("350 ml", 3900, 0)),
        option="volume",
    ),
    DemoProduct(
        "outdoor_gear",
        "camping",
        "Ultralight 2P Tent",
        ("tent", "ultralight"),
        (("Green", 32900, 6), ("Sand", 32900, 3)),
        "<p>1.1 kg, two doors, <em>freestanding</em>.</p>",
        option="colour",
    ),
    DemoProduct("outdoor_gear", "camping", "Trail Stove Kit", ("cooking",), (("Kit", 5900, 20),)),
    DemoProduct(
        "outdoor_gear",
        "outdoors",
        "Merino Hiking Socks",
        ("apparel", "merino"),
        (("S", 1900, 30), ("M", 1900, 50), ("L", 1900, 0)),
        option="size",
    ),
]


def demo_steps() -> int:
    return len(DEMO_USERS) + 2 + len(DEMO_PRODUCTS)


async def seed_demo(advance: Advance = lambda _: None, storage: Storage | None = None) -> bool:
    """Load the demo profile; False when it was already there. With a storage, demo posts
    get real images (covers, galleries) and product tags."""
    if await User.filter(handle="admin").exists():
        return False
    # A hash (so a salt) of each account's own: one shared hash tells whoever sees it that all
    # the accounts share a password. Hashed in parallel threads, to keep seeding quick.
    hashes = await asyncio.gather(*(hash_password(DEMO_PASSWORD) for _ in DEMO_USERS))
    users: dict[str, User] = {}
    for demo, password_hash in zip(DEMO_USERS, hashes, strict=True):
        users[demo.handle] = await User.create(
            email=f"{demo.handle}@agora.test",
            handle=demo.handle,
            display_name=demo.display_name,
            role=demo.role,
            bio=demo.bio,
            password_hash=password_hash,
        )
        advance(1)
    creator = users["chef_ana"]
    await insert_app(
        creator,
        name="Recipe analytics",
        description="Weekly stats for my posts.",
        scopes=sorted(scope.value for scope in ROLE_SCOPES[creator.role]),
    )
    advance(1)
    await seed_catalog(users, advance)
    # Orders in every state (delivered ones first), then reviews of delivered lines.
    await seed_commerce_demo()
    await seed_reviews_demo()
    await seed_content_demo(storage)  # posts by chef_ana and trail_tom
    await seed_creators_demo()  # creator profiles: chef_ana a verified KOL, trail_tom pending
    await seed_social_demo()  # follows among them, share links (after orders and posts)
    await seed_comments_demo()  # threads on the demo posts and Dragon Well (after posts)
    await seed_reactions_demo()  # likes and saves of the demo posts and tutorial
    await seed_communities_demo()  # tea-lovers (public) and trail-crew (private), with posts
    await seed_notifications_demo()  # what the follows, likes and comments above tell
    await seed_moderation_demo()  # reports of a Tea Lovers post and a comment, in the queue
    advance(1)
    return True


async def seed_bench(users: int, advance: Advance = lambda _: None) -> bool:
    """Many users with one app each, for the benchmarks in bench/."""
    if await User.filter(handle="bench_0").exists():
        return False
    password_hash = await hash_password(DEMO_PASSWORD)
    batch = 500
    for start in range(0, users, batch):
        rows = [
            User(
                email=f"bench_{n}@agora.test",
                handle=f"bench_{n}",
                display_name=f"Bench {n}",
                role=Role.CREATOR,
                password_hash=password_hash,
            )
            for n in range(start, min(start + batch, users))
        ]
        await User.bulk_create(rows)
        created = await User.filter(handle__in=[row.handle for row in rows])
        await App.bulk_create(
            [App(owner_id=user.id, name="bench app", scopes=["read:content"]) for user in created]
        )
        advance(len(rows))
    return True


async def seed_catalog(users: dict[str, User], advance: Advance) -> None:
    categories: dict[str, Category] = {}
    for slug, (name, parent) in DEMO_CATEGORIES.items():
        categories[slug] = await Category.create(
            name=name, slug=slug, parent_id=categories[parent].id if parent else None
        )
    merchants = {
        handle: await Merchant.create(
            owner_id=users[handle].id,
            name=name,
            slug=slugify(name),
            story_html=f"<p>{story}</p>",
            currency="USD",
        )
        for handle, (name, story) in DEMO_MERCHANTS.items()
    }
    for demo in DEMO_PRODUCTS:
        product = await Product.create(
            merchant_id=merchants[demo.merchant].id,
            category_id=categories[demo.category].id,
            title=demo.title,
            slug=slugify(demo.title),
            description_html=demo.description,
            status=ProductStatus.ACTIVE,
            currency="USD",
            min_price=min(price for _, price, _ in demo.variants),
            total_stock=sum(stock for _, _, stock in demo.variants),
        )
        await Variant.bulk_create(
            [
                Variant(
                    product_id=product.id,
                    sku=f"{product.slug[:40].upper()}-{n}",
                    title=title,
                    price=price,
                    stock=stock,
                    options=demo.options(title),
                    position=n,
                )
                for n, (title, price, stock) in enumerate(demo.variants)
            ]
        )
        await ProductTag.bulk_create([ProductTag(product_id=product.id, tag=t) for t in demo.tags])
        advance(1)
