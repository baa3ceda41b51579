"""Demo likes and saves among the demo users, on the demo's published posts, tutorial and
comments (a comment is named by its body)."""

from __future__ import annotations

from models.accounts import User
from models.comments import Comment
from models.content import Post, PostStatus, Tutorial, TutorialStatus
from models.reactions import Reaction, ReactionKind, ReactionTargetKind

POST, TUTORIAL = ReactionTargetKind.POST, ReactionTargetKind.TUTORIAL
COMMENT = ReactionTargetKind.COMMENT
DRAGON_WELL = (POST, "Dragon Well, three ways")
MATCHA = (POST, "Matcha latte at home")
PACKING = (POST, "Packing for a three-day hike")
GONGFU = (TUTORIAL, "Gongfu tea at home")
# shopper_1's comment on Dragon Well, and the tea house's answer (resolvers/comments/demo.py)
COLD_BREW = (
    COMMENT,
    "Tried the **cold brew** overnight: so smooth. @teahouse which harvest is this?",
)
HARVEST = (COMMENT, "This spring's, picked before Qingming. Glad you liked it!")

# user -> what they like
DEMO_LIKES: dict[str, list[tuple[ReactionTargetKind, str]]] = {
    "shopper_1": [DRAGON_WELL, MATCHA, GONGFU, HARVEST],
    "shopper_2": [DRAGON_WELL, MATCHA, COLD_BREW],
    "shopper_3": [DRAGON_WELL, PACKING, COLD_BREW],
    "shopper_4": [PACKING, GONGFU],
    "shopper_5": [DRAGON_WELL],
    "shopper_6": [MATCHA, PACKING],
    "trail_tom": [DRAGON_WELL, GONGFU],
    "chef_ana": [PACKING, COLD_BREW],
    "teahouse": [DRAGON_WELL, GONGFU, COLD_BREW],
}
# user -> what they saved, oldest save first (shopper_1's list is the README's example)
DEMO_SAVES: dict[str, list[tuple[ReactionTargetKind, str]]] = {
    "shopper_1": [MATCHA, GONGFU],
    "shopper_2": [GONGFU, DRAGON_WELL],
    "shopper_3": [PACKING],
    "shopper_4": [HARVEST],
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
    comments = Comment.filter(deleted_at=None).values_list("body", "id")
    targets.update({(COMMENT, body): pk for body, pk in await comments})
    rows = [
        Reaction(user_id=users[handle], kind=kind, target_kind=key[0], target_id=targets[key])
        for kind, table in ((ReactionKind.LIKE, DEMO_LIKES), (ReactionKind.SAVE, DEMO_SAVES))
        for handle, keys in table.items()
        for key in keys
        if handle in users and key in targets
    ]
    await Reaction.bulk_create(rows, ignore_conflicts=True)
