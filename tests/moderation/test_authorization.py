"""The authorization matrix: report and moderate x every kind of caller (tests/authz.py).

The owner is the world's buyer, author of a published post. Anyone signed in reports it, each
as themself (apps: write:content), so other actors file reports of their own, never the
owner's; the owner reporting their own post is refused (PermissionDeniedError). Site staff
moderate it, in person only; everyone else is FORBIDDEN (community moderators: in
test_community_moderators.py).
"""

from __future__ import annotations

from typing import Any

from models.content import Post
from models.moderation import ModerationLogEntry, Report
from resolvers.principal import Scope
from schema.moderation import ModerationMutation
from tests.authz import FORBIDDEN, PERMISSION_DENIED, Actor, Matrix, World, row
from tests.moderation.support import make_post
from tests.utils import gid

SIGNED_IN: list[Actor] = ["other_user", "other_merchant", "moderator", "admin"]


async def _scene(w: World) -> None:
    w.scene["post"] = await make_post(w.buyer.user.id)


async def _snapshot(w: World) -> Any:
    """The post's moderation state, its log, and the reports its author filed."""
    post = await Post.get(id=w.scene["post"].id)
    return (
        post.hidden_at,
        await ModerationLogEntry.all().count(),
        await Report.filter(reporter_id=w.buyer.user.id).count(),
    )


def _post(w: World) -> dict[str, Any]:
    return {"id": gid("Post", w.scene["post"].id)}


MATRIX = Matrix(
    domain=[ModerationMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(
            "report",
            'mutation($id: ID!) { report(targetId: $id, reason: "Spam") { __typename } }',
            _post,
            allowed=SIGNED_IN,
            success="ReportSuccess",
            refusals={"owner": PERMISSION_DENIED},
            own_only=True,
            scope=Scope.WRITE_CONTENT,
        ),
        row(
            "moderate",
            "mutation($id: ID!) { moderate(targetId: $id, action: HIDE) { __typename } }",
            _post,
            allowed=["moderator", "admin"],
            success="ModerateSuccess",
            refusal=FORBIDDEN,
        ),
    ],
)
test_every_moderation_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
