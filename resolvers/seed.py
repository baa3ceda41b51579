"""Demo and benchmark data. Idempotent: a profile that is already loaded is left alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from models.accounts import Role, User
from models.apps import App
from resolvers.accounts import hash_password
from resolvers.apps import insert_app
from resolvers.principal import ROLE_SCOPES

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


def demo_steps() -> int:
    return len(DEMO_USERS) + 1


async def seed_demo(advance: Advance = lambda _: None) -> bool:
    """Load the demo profile; False when it was already there."""
    if await User.filter(handle="admin").exists():
        return False
    password_hash = await hash_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for demo in DEMO_USERS:
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
