"""The authorization matrix of setMediaTags (tests/authz.py), on a post and on a tutorial: only
the author tags.

The target is the buyer's draft post, with a cover: everyone but the author and admins is
told it does not exist, admins that they may not; apps need write:content.
"""

from __future__ import annotations

from typing import Any

from models.content import ShoppableTag
from resolvers.principal import Scope
from schema.content import TagMutation
from tests.authz import NOT_FOUND, PERMISSION_DENIED, Matrix, World, row
from tests.content.tagging import point, post_with_media, ready
from tests.content.tutorial_support import create_tutorial
from tests.utils import gid


async def _scene(w: World) -> None:
    cover = await ready(w.buyer.user.id)
    draft = await post_with_media(w.gql, w.buyer.token, cover, [], title="Tagged draft")
    w.scene.update(draft=draft["id"], cover=cover)


async def _snapshot(w: World) -> Any:
    return (
        await ShoppableTag.all()
        .order_by("id")
        .values_list("target_kind", "target_id", "media_id", "product_id", "x", "y")
    )


def _tag_the_cover(w: World) -> dict[str, Any]:
    tags = [point(gid("Product", w.product.id), variant=gid("Variant", w.variant.id))]
    return {"target": w.scene["draft"], "media": w.scene["cover"], "tags": tags}


MATRIX = Matrix(
    domain=[TagMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(
            "setMediaTags",
            "mutation($target: ID!, $media: ID!, $tags: [ProductTagInput!]!) { "
            "setMediaTags(targetId: $target, mediaId: $media, tags: $tags) { __typename } }",
            _tag_the_cover,
            allowed=["owner"],
            success="SetMediaTagsSuccess",
            refusals={
                "other_user": NOT_FOUND,
                "other_merchant": NOT_FOUND,
                "moderator": NOT_FOUND,
                "admin": PERMISSION_DENIED,
            },
            scope=Scope.WRITE_CONTENT,
        ),
    ],
)
test_every_tag_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()


async def _tutorial_scene(w: World) -> None:
    image = await ready(w.buyer.user.id)
    draft = await create_tutorial(
        w.gql,
        w.buyer.token,
        title="Tagged tutorial",
        steps=[{"title": "Look", "body": "Look.", "mediaIds": [image]}],
    )
    w.scene.update(draft=draft["id"], cover=image)


# The same mutation on the media of a tutorial's steps: the same rule, checked again because
# the target is found and locked through another branch.
TUTORIAL_MATRIX = Matrix(
    scene=_tutorial_scene,
    snapshot=_snapshot,
    rows=[
        row(
            "setMediaTags",
            "mutation($target: ID!, $media: ID!, $tags: [ProductTagInput!]!) { "
            "setMediaTags(targetId: $target, mediaId: $media, tags: $tags) { __typename } }",
            _tag_the_cover,
            allowed=["owner"],
            success="SetMediaTagsSuccess",
            refusals={
                "other_user": NOT_FOUND,
                "other_merchant": NOT_FOUND,
                "moderator": NOT_FOUND,
                "admin": PERMISSION_DENIED,
            },
            scope=Scope.WRITE_CONTENT,
        ),
    ],
)
test_tutorial_authorization_matrix = TUTORIAL_MATRIX.test()
