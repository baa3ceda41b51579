"""The authorization matrix: every social mutation x every kind of caller (tests/authz.py).

The owner is the world's buyer, a shopper: anyone signed in follows and shares, as themself
(apps: write:content), so other actors act on their own follows and links, never the
owner's. Opening a share link is for everyone, anonymous callers and apps of any scope too.
"""

from __future__ import annotations

from typing import Any

from models.social import Follow, FollowTargetKind, ShareLink
from resolvers.principal import Scope
from schema.social import SocialMutation
from tests.authz import Actor, Matrix, World, row
from tests.social.support import make_link
from tests.utils import gid

SIGNED_IN: list[Actor] = ["other_user", "other_merchant", "owner", "moderator", "admin"]


async def _scene(w: World) -> None:
    await Follow.create(
        follower_id=w.buyer.user.id, target_kind=FollowTargetKind.USER, target_id=w.seller.user.id
    )
    await make_link(w.buyer.user.id, w.product.id, code="buyers-link")


async def _snapshot(w: World) -> Any:
    """The owner's follows and share links (clicks included)."""
    follows = (
        await Follow.filter(follower_id=w.buyer.user.id)
        .order_by("id")
        .values_list("target_kind", "target_id")
    )
    links = (
        await ShareLink.filter(sharer_id=w.buyer.user.id)
        .order_by("id")
        .values_list("code", "target_kind", "target_id", "channel", "clicks")
    )
    return follows, links


def _seller(w: World) -> dict[str, Any]:
    return {"id": gid("User", w.seller.user.id)}


WRITE = {"scope": Scope.WRITE_CONTENT, "own_only": True}

MATRIX = Matrix(
    domain=[SocialMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(  # the owner already follows the seller: following again changes nothing
            "follow",
            "mutation($id: ID!) { follow(targetId: $id) { __typename } }",
            _seller,
            allowed=SIGNED_IN,
            success="FollowSuccess",
            **WRITE,
        ),
        row(
            "unfollow",
            "mutation($id: ID!) { unfollow(targetId: $id) { __typename } }",
            _seller,
            allowed=SIGNED_IN,
            success="UnfollowSuccess",
            **WRITE,
        ),
        row(
            "createShareLink",
            "mutation($id: ID!) { createShareLink(targetId: $id, channel: SMS) { __typename } }",
            lambda w: {"id": gid("Product", w.product.id)},
            allowed=SIGNED_IN,
            success="CreateShareLinkSuccess",
            **WRITE,
        ),
        row(  # no scope needed: an app of any scope opens links like a browser does
            "resolveShareLink",
            'mutation { resolveShareLink(code: "buyers-link") { __typename } }',
            allowed=["anonymous", *SIGNED_IN],
            success="ResolveShareLinkSuccess",
            refusals={"app_without_scope": "ResolveShareLinkSuccess"},
            changes=False,  # the click waits in Redis; the rows stay as they were
        ),
    ],
)
test_every_social_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
