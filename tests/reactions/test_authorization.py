"""The authorization matrix: every reaction mutation x every kind of caller (tests/authz.py).

The owner is the world's buyer, a shopper who likes the seller's published post: anyone
signed in reacts, as themself (apps: write:content), so other actors act on their own
reactions, never the owner's.
"""

from __future__ import annotations

from typing import Any

from models.reactions import Reaction, ReactionKind, ReactionTargetKind
from resolvers.principal import Scope
from schema.reactions import ReactionMutation
from tests.authz import Actor, Matrix, World, row
from tests.reactions.support import post_row
from tests.utils import gid

SIGNED_IN: list[Actor] = ["other_user", "other_merchant", "owner", "moderator", "admin"]


async def _scene(w: World) -> None:
    post = await post_row(w.seller.user.id, "sellers-post")
    w.scene["post"] = post
    await Reaction.create(
        user_id=w.buyer.user.id,
        kind=ReactionKind.LIKE,
        target_kind=ReactionTargetKind.POST,
        target_id=post.id,
    )


async def _snapshot(w: World) -> Any:
    """The owner's reactions."""
    return (
        await Reaction.filter(user_id=w.buyer.user.id)
        .order_by("id")
        .values_list("kind", "target_kind", "target_id")
    )


def _post(w: World) -> dict[str, Any]:
    return {"id": gid("Post", w.scene["post"].id)}


WRITE = {"scope": Scope.WRITE_CONTENT, "own_only": True}

MATRIX = Matrix(
    domain=[ReactionMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(  # the owner already likes the post: liking again changes nothing
            "react",
            "mutation($id: ID!) { react(targetId: $id, kind: LIKE) { __typename } }",
            _post,
            allowed=SIGNED_IN,
            success="ReactSuccess",
            **WRITE,
        ),
        row(
            "unreact",
            "mutation($id: ID!) { unreact(targetId: $id, kind: LIKE) { __typename } }",
            _post,
            allowed=SIGNED_IN,
            success="UnreactSuccess",
            **WRITE,
        ),
    ],
)
test_every_reaction_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
