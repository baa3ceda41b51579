"""Demo likes and saves among the demo users, on the demo's published posts and tutorial."""

from __future__ import annotations

from models.accounts import User
from models.content import Post, PostStatus, Tutorial, TutorialStatus
from models.reactions import Reaction, ReactionKind, ReactionTargetKind

POST, TUTORIAL = ReactionTargetKind.POST, ReactionTargetKind.TUTORIAL
DRAGON_WELL = (POST, "Dragon Well, three ways")
MATCHA = (POST, "Matcha latte at home")
PACKING = (POST, "Packing for a three-day hike")
GONGFU = (TUTORIAL, "Gongfu tea at home")

# user -> what they like
DEMO_LIKES: dict[str, list[tuple[ReactionTargetKind, str]]] = {
    "shopper_1": [DRAGON_WELL, MATCHA, GONGFU],
    "shopper_2": [DRAGON_WELL, MATCHA],
    "shopper_3": [DRAGON_WELL, PACKING],
    "shopper_4": [PACKING, GONGFU],
    "shopper_5": [DRAGON_WELL],
    "shopper_6": [MATCHA, PACKING],
    "trail_tom": [DRAGON_WELL, GONGFU],
    "chef_ana": [PACKING],
    "teahouse": [DRAGON_WELL, GONGFU],
}
# user -> what they saved, oldest save first (shopper_1's list is the README's example)
DEMO_SAVES: dict[str, list[tuple[ReactionTargetKind, str]]] = {
    "shopper_1": [MATCHA, GONGFU],
    "shopper_2": [GONGFU, DRAGON_WELL],
    "shopper_3": [PACKING],
    "shopper_6": [GONGFU],
}


async def seed_reactions_demo() -> None:
    """The demo likes and saves; nothing when any reaction exists."""
    if await Reaction.exists():
        return
    users = dict(await User.all().values_list("handle", "id"))
    posts = Post.filter(status=PostStatus.PUBLISHED).values_list("title", "id")
    tutorials = Tutorial.filter(status=TutorialStatus.PUBLISHED).values_list("title", "id")
    targets = {(POST, title): pk for title, pk in await posts}
    targets.update({(TUTORIAL, title): pk for title, pk in await tutorials})
    rows = [
        Reaction(user_id=users[handle], kind=kind, target_kind=key[0], target_id=targets[key])
        for kind, table in ((ReactionKind.LIKE, DEMO_LIKES), (ReactionKind.SAVE, DEMO_SAVES))
        for handle, keys in table.items()
        for key in keys
        if handle in users and key in targets
    ]
    await Reaction.bulk_create(rows, ignore_conflicts=True)
