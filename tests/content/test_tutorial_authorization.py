"""The authorization matrix for tutorials (tests/authz.py): every tutorial mutation, and
addTutorialToCart, x every kind of caller.

The owner is the author, here the world's buyer (any user may write a tutorial). Only the
author changes a tutorial; a draft is invisible to everyone else but admins, so others get
NotFoundError for it and admins PermissionDeniedError. Deleting is moderation too.
addTutorialToCart acts on the caller's own cart: anyone signed in (apps: write:orders).
"""

from __future__ import annotations

from typing import Any

from models.carts import CartLine
from models.content import Tutorial, TutorialPart, TutorialStep
from resolvers.principal import Scope
from schema.carts.tutorials import TutorialCartMutation
from schema.content import TutorialMutation
from tests.authz import NOT_FOUND, PERMISSION_DENIED, Actor, Matrix, World, row
from tests.content.tutorial_support import create_tutorial, part, published_tutorial

HIDDEN_DRAFT: dict[Actor, str] = {
    "other_user": NOT_FOUND,
    "other_merchant": NOT_FOUND,
    "moderator": NOT_FOUND,
    "admin": PERMISSION_DENIED,
}


async def _scene(w: World) -> None:
    draft = await create_tutorial(w.gql, w.buyer.token, title="Draft", parts=[part(w.product)])
    out = await published_tutorial(
        w.gql, w.buyer.token, title="Out", parts=[part(w.product, w.variant.id)]
    )
    w.scene.update(draft=draft["id"], published=out["id"])


async def _snapshot(w: World) -> Any:
    """The author's tutorials, their steps and parts, and the author's cart lines."""
    rows = await Tutorial.filter(author_id=w.buyer.user.id).order_by("id")
    return (
        [(t.id, t.title, t.summary, t.status.value, t.step_count) for t in rows],
        await TutorialStep.filter(tutorial__author_id=w.buyer.user.id).count(),
        await TutorialPart.filter(tutorial__author_id=w.buyer.user.id).count(),
        await CartLine.filter(cart__user_id=w.buyer.user.id).values_list("variant_id", "quantity"),
    )


def _draft(w: World) -> dict[str, Any]:
    return {"id": w.scene["draft"]}


def _published(w: World) -> dict[str, Any]:
    return {"id": w.scene["published"]}


WRITE = {"scope": Scope.WRITE_CONTENT}
EVERYONE_SIGNED_IN: list[Actor] = ["other_user", "other_merchant", "owner", "moderator", "admin"]

MATRIX = Matrix(
    domain=[TutorialMutation, TutorialCartMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(  # anyone signed in writes tutorials, as themself
            "createTutorial",
            'mutation { createTutorial(title: "Mine", durationMinutes: 5, difficulty: EASY) '
            "{ __typename } }",
            None,
            allowed=EVERYONE_SIGNED_IN,
            success="CreateTutorialSuccess",
            own_only=True,
            **WRITE,
        ),
        row(
            "updateTutorial",
            'mutation($id: ID!) { updateTutorial(tutorialId: $id, title: "New") { __typename } }',
            _draft,
            allowed=["owner"],
            success="UpdateTutorialSuccess",
            refusals=HIDDEN_DRAFT,
            **WRITE,
        ),
        row(
            "publishTutorial",
            "mutation($id: ID!) { publishTutorial(tutorialId: $id) { __typename } }",
            _draft,
            allowed=["owner"],
            success="PublishTutorialSuccess",
            refusals=HIDDEN_DRAFT,
            **WRITE,
        ),
        row(  # a published tutorial: everyone sees it, only its author takes it down
            "archiveTutorial",
            "mutation($id: ID!) { archiveTutorial(tutorialId: $id) { __typename } }",
            _published,
            allowed=["owner"],
            success="ArchiveTutorialSuccess",
            **WRITE,
        ),
        row(
            "deleteTutorial",
            "mutation($id: ID!) { deleteTutorial(tutorialId: $id) { __typename } }",
            _published,
            allowed=["owner", "moderator", "admin"],
            success="DeleteTutorialSuccess",
            **WRITE,
        ),
        row(  # into the caller's own cart; the snapshot holds the author's
            "addTutorialToCart",
            "mutation($id: ID!) { addTutorialToCart(tutorialId: $id) { __typename } }",
            _published,
            allowed=EVERYONE_SIGNED_IN,
            success="AddTutorialToCartSuccess",
            own_only=True,
            scope=Scope.WRITE_ORDERS,
        ),
    ],
)
test_every_tutorial_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
