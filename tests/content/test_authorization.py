"""The authorization matrix: every post mutation x every kind of caller (tests/authz.py).

The owner is the author, here the world's buyer: any user may post (KOC are ordinary users).
Only the author changes a post; a draft is invisible to everyone else but admins, so others
get NotFoundError for it and admins PermissionDeniedError. Deleting is moderation too.
"""

from __future__ import annotations

from typing import Any

from models.content import Post, PostRevision, Topic
from resolvers.principal import Scope
from schema.content import ContentMutation
from tests.authz import NOT_FOUND, PERMISSION_DENIED, Actor, Matrix, World, row
from tests.content.support import create_post, published_post

HIDDEN_DRAFT: dict[Actor, str] = {
    "other_user": NOT_FOUND,
    "other_merchant": NOT_FOUND,
    "moderator": NOT_FOUND,
    "admin": PERMISSION_DENIED,
}


async def _scene(w: World) -> None:
    draft = await create_post(w.gql, w.buyer.token, title="Draft", topics=["tea"])
    out = await published_post(w.gql, w.buyer.token, title="Out", topics=["tea"])
    w.scene.update(draft=draft["id"], published=out["id"])


async def _snapshot(w: World) -> Any:
    """The author's posts, their revisions, and the topics' counts."""
    posts = await Post.filter(author_id=w.buyer.user.id).order_by("id")
    return (
        [(p.id, p.title, p.body, p.status.value, p.publish_at, p.revision_count) for p in posts],
        await PostRevision.filter(post__author_id=w.buyer.user.id).count(),
        await Topic.all().order_by("id").values_list("slug", "post_count"),
    )


def _draft(w: World) -> dict[str, Any]:
    return {"id": w.scene["draft"]}


def _published(w: World) -> dict[str, Any]:
    return {"id": w.scene["published"]}


WRITE = {"scope": Scope.WRITE_CONTENT}

MATRIX = Matrix(
    domain=[ContentMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(  # anyone signed in posts, as themself
            "createPost",
            'mutation { createPost(title: "Mine") { __typename } }',
            None,
            allowed=["other_user", "other_merchant", "owner", "moderator", "admin"],
            success="CreatePostSuccess",
            own_only=True,
            **WRITE,
        ),
        row(
            "updatePost",
            'mutation($id: ID!) { updatePost(postId: $id, title: "New") { __typename } }',
            _draft,
            allowed=["owner"],
            success="UpdatePostSuccess",
            refusals=HIDDEN_DRAFT,
            **WRITE,
        ),
        row(
            "publishPost",
            "mutation($id: ID!) { publishPost(postId: $id) { __typename } }",
            _draft,
            allowed=["owner"],
            success="PublishPostSuccess",
            refusals=HIDDEN_DRAFT,
            **WRITE,
        ),
        row(  # a published post: everyone sees it, only its author takes it down
            "archivePost",
            "mutation($id: ID!) { archivePost(postId: $id) { __typename } }",
            _published,
            allowed=["owner"],
            success="ArchivePostSuccess",
            **WRITE,
        ),
        row(
            "deletePost",
            "mutation($id: ID!) { deletePost(postId: $id) { __typename } }",
            _published,
            allowed=["owner", "moderator", "admin"],
            success="DeletePostSuccess",
            **WRITE,
        ),
        row(
            "restorePostRevision",
            "mutation($id: ID!) { restorePostRevision(postId: $id, number: 1) { __typename } }",
            _draft,
            allowed=["owner"],
            success="RestorePostRevisionSuccess",
            refusals=HIDDEN_DRAFT,
            **WRITE,
        ),
    ],
)
test_every_post_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
