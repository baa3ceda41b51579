"""Bad input to the comment mutations: a typed error or BAD_USER_INPUT, never a server error,
and nothing written. Bodies get a property-style sweep of generated text."""

from __future__ import annotations

import random
from typing import Any

import pytest

from models.comments import Comment
from resolvers.comments import BODY_MAX
from tests.comments.support import ADD, DELETE, EDIT, make_comment, make_post, post_id
from tests.factories import SignIn
from tests.utils import GraphQLClient, Response, gid

NOT_AN_ID = "garbage!! not base64 %%"


def refused(response: Response) -> str:
    """How a request was refused: a top-level code, or the payload's typed error and field."""
    assert response.status < 500, response.body
    assert "INTERNAL_SERVER_ERROR" not in response.codes, response.body
    if response.errors:
        return str(response.codes[0])
    payload: dict[str, Any] = next(iter(response.data.values()))
    return f"{payload['__typename']}:{payload.get('field') or payload.get('resource')}"


@pytest.mark.parametrize(
    ("target", "parent", "expected"),
    [
        (NOT_AN_ID, None, "ValidationError:targetId"),
        ("user", None, "ValidationError:targetId"),
        (gid("Post", 987_654), None, "NotFoundError:Post"),
        (gid("Post", 2**63), None, "ValidationError:targetId"),
        (gid("Topic", 1), None, "ValidationError:targetId"),
        ("post", NOT_AN_ID, "ValidationError:parentId"),
        ("post", "post", "ValidationError:parentId"),
        ("post", gid("Comment", 987_654), "NotFoundError:Comment"),
        ("post", gid("Comment", 2**63), "ValidationError:parentId"),
    ],
)
async def test_bad_targets_and_parents(
    gql: GraphQLClient, sign_in: SignIn, target: str, parent: str | None, expected: str
) -> None:
    fan = await sign_in()
    post = await make_post(fan.user.id)
    real = {"user": gid("User", fan.user.id), "post": post_id(post)}

    response = await gql.post(
        ADD,
        {
            "target": real.get(target, target),
            "body": "hi",
            "parent": real.get(parent or "", parent),
        },
        token=fan.token,
    )

    assert refused(response) == expected
    assert not await Comment.exists()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "ValidationError:body"),
        (" \n\t\u3000 ", "ValidationError:body"),
        ("x" * (BODY_MAX + 1), "ValidationError:body"),
        ("a\x00b", "BAD_USER_INPUT"),
    ],
)
async def test_bad_bodies_write_nothing(
    gql: GraphQLClient, sign_in: SignIn, body: str, expected: str
) -> None:
    fan = await sign_in()
    post = await make_post(fan.user.id)
    comment = await make_comment(fan.user.id, post, "kept")

    added = await gql.post(ADD, {"target": post_id(post), "body": body}, token=fan.token)
    edited = await gql.post(EDIT, {"id": gid("Comment", comment.id), "body": body}, token=fan.token)

    assert refused(added) == refused(edited) == expected
    assert [str(v) for v in await Comment.all().values_list("body", flat=True)] == ["kept"]


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        (NOT_AN_ID, "ValidationError:id"),
        (gid("Post", 1), "ValidationError:id"),
        (gid("Comment", 987_654), "NotFoundError:Comment"),
        (gid("Comment", 2**63), "ValidationError:id"),
    ],
)
async def test_bad_comment_ids(
    gql: GraphQLClient, sign_in: SignIn, comment: str, expected: str
) -> None:
    fan = await sign_in()

    edited = await gql.post(EDIT, {"id": comment, "body": "new"}, token=fan.token)
    deleted = await gql.post(DELETE, {"id": comment}, token=fan.token)

    assert refused(edited) == refused(deleted) == expected


# Characters a body is made of: letters of several scripts, Markdown and HTML syntax,
# whitespace of every kind Python strips, emoji, combining marks; never NUL or a surrogate.
ALPHABET = (
    "abcXYZ019 茶绿龍ñé€"
    "*_`#>-+[]()!<>/\"'&;:=@\\|~"
    " \t\n\r\u3000\u00a0\u2028\x0b\x0c\x1c"
    "😀🍵\u0301\u200b\ufeff"
)


def generated_bodies(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    lengths = [0, 1, 2, 5, 40, 300, BODY_MAX - 1, BODY_MAX, BODY_MAX + 1, BODY_MAX + 40]
    bodies = []
    for n in range(count):
        length = lengths[n % len(lengths)] if n < len(lengths) else rng.randint(0, 120)
        bodies.append("".join(rng.choice(ALPHABET) for _ in range(length)))
    # Long bodies padded with whitespace: the limit is on the trimmed text.
    bodies.append("  " + "y" * BODY_MAX + " \n ")
    bodies.append("<script>alert(1)</script>" + "\u3000" * 3)
    return bodies


async def test_generated_bodies_are_kept_or_refused_as_the_rules_say(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    writers = [await sign_in() for _ in range(5)]  # under the per-user rate limit
    post = await make_post(writers[0].user.id)
    accepted = 0
    for n, body in enumerate(generated_bodies(seed=20261206, count=50)):
        response = await gql.post(
            ADD, {"target": post_id(post), "body": body}, token=writers[n % 5].token
        )
        assert response.status == 200, (body, response.body)
        assert not response.errors, (body, response.errors)
        payload = response.data["addComment"]
        trimmed = body.strip()
        if not trimmed or len(trimmed) > BODY_MAX:
            assert payload["__typename"] == "ValidationError", (body, payload)
            assert payload["field"] == "body"
        else:
            accepted += 1
            assert payload["__typename"] == "AddCommentSuccess", (body, payload)
            assert payload["comment"]["body"] == trimmed
            assert "<script" not in payload["comment"]["bodyHtml"]
    assert accepted > 10  # the sweep is no sweep of refusals only
    assert await Comment.filter(target_id=post.id).count() == accepted
