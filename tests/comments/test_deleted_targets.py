"""Deleting a post or tutorial for good takes its comments and every like and save of it and
of its comments with it: targets carry no foreign key, so nothing else would."""

from __future__ import annotations

from models.accounts import Role
from models.comments import Comment
from models.reactions import Reaction
from tests.comments.support import added, make_post, make_tutorial
from tests.factories import SignIn
from tests.reactions.support import react
from tests.utils import GraphQLClient, gid

DELETE = {
    "Post": "mutation($id: ID!) { deletePost(postId: $id) { __typename } }",
    "Tutorial": "mutation($id: ID!) { deleteTutorial(tutorialId: $id) { __typename } }",
}


async def test_deleting_a_post_or_tutorial_deletes_its_discussion(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author = await sign_in(role=Role.CREATOR)
    fan = await sign_in()
    post = await make_post(author.user.id)
    tutorial = await make_tutorial(author.user.id)
    kept = await make_post(author.user.id)  # another post's discussion stays
    for row, type_name in ((post, "Post"), (tutorial, "Tutorial"), (kept, "Post")):
        target = gid(type_name, row.id)
        comment = await added(gql, fan.token, target, "Lovely")
        await added(gql, author.token, target, "Thanks", parent=comment["id"])
        for kind in ("LIKE", "SAVE"):
            assert (await react(gql, fan.token, target, kind))["__typename"] == "ReactSuccess"
            liked = await react(gql, author.token, comment["id"], kind)
            assert liked["__typename"] == "ReactSuccess", liked
    assert await Comment.all().count() == 6
    assert await Reaction.all().count() == 12

    for row, type_name in ((post, "Post"), (tutorial, "Tutorial")):
        data = await gql.data(DELETE[type_name], {"id": gid(type_name, row.id)}, token=author.token)
        assert next(iter(data.values()))["__typename"].endswith("Success"), data

    assert await Comment.all().count() == 2
    assert await Reaction.all().count() == 4
    assert set(await Comment.all().values_list("target_id", flat=True)) == {kept.id}
