"""Threads: comments and replies on every kind of target, rendering, mentions, edit, soft
delete, depth cap, order and pages."""

from __future__ import annotations

from typing import Any

import pytest

from models.accounts import Role, User
from models.catalog import ProductStatus
from models.comments import Comment, CommentMention
from resolvers.comments import MAX_DEPTH
from tests.comments.support import (
    add,
    added,
    delete,
    edit,
    make_comment,
    make_post,
    make_review,
    make_tutorial,
    post_id,
)
from tests.factories import MakeMerchant, MakeProduct, MakeUser, SignIn
from tests.utils import GraphQLClient, gid

THREAD = """
query($id: ID!, $sort: CommentSort, $n: Int, $after: String) { node(id: $id) {
  ... on Post { commentCount comments(sort: $sort, first: $n, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id body isDeleted author { handle } replyCount
      replies(first: 10) { totalCount edges { node { id body depth author { handle } } } }
    } } } } } }
"""


async def thread(gql: GraphQLClient, target: str, **variables: Any) -> dict[str, Any]:
    data = await gql.data(THREAD, {"id": target, **variables})
    result: dict[str, Any] = data["node"]
    return result


@pytest.mark.smoke
async def test_comment_and_reply_on_a_post(gql: GraphQLClient, sign_in: SignIn) -> None:
    ana = await sign_in(role=Role.CREATOR)
    fan = await sign_in()
    post = await make_post(ana.user.id)

    top = await added(gql, fan.token, post_id(post), "  Lovely **tea**.  ")
    reply = await added(gql, ana.token, post_id(post), "Thank you!", parent=top["id"])

    assert top["body"] == "Lovely **tea**."
    assert top["bodyHtml"] == "<p>Lovely <strong>tea</strong>.</p>\n"
    assert top["depth"] == 0
    assert top["parent"] is None
    assert top["editedAt"] is None
    assert top["author"] == {"handle": fan.user.handle}
    assert reply["depth"] == 1
    assert reply["parent"] == {"id": top["id"]}
    assert reply["target"] == {"__typename": "Post", "id": post_id(post), "commentCount": 2}
    shown = await thread(gql, post_id(post))
    assert shown["commentCount"] == 2
    [edge] = shown["comments"]["edges"]
    assert edge["node"]["replyCount"] == 1
    assert edge["node"]["replies"]["edges"][0]["node"]["body"] == "Thank you!"


async def test_every_kind_of_target_takes_comments(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    fan = await sign_in()
    product = await make_product()
    targets = {
        "Post": post_id(await make_post(fan.user.id)),
        "Tutorial": gid("Tutorial", (await make_tutorial(fan.user.id)).id),
        "Review": gid("Review", (await make_review(fan.user.id, product)).id),
        "Product": gid("Product", product.id),
    }
    for typename, target in targets.items():
        comment = await added(gql, fan.token, target, f"On a {typename}")
        assert comment["target"] == {"__typename": typename, "id": target, "commentCount": 1}
        page = await gql.data(
            f"query($id: ID!) {{ node(id: $id) {{ ... on {typename} {{ commentCount "
            "comments { edges { node { body } } } } } }",
            {"id": target},
        )
        assert page["node"]["comments"]["edges"] == [{"node": {"body": f"On a {typename}"}}]


async def test_the_body_is_sanitised_markdown(gql: GraphQLClient, sign_in: SignIn) -> None:
    fan = await sign_in()
    post = await make_post(fan.user.id)
    body = (
        "<script>alert(1)</script> [x](javascript:alert(1)) "
        '<img src=x onerror="alert(1)"> [ok](https://example.com)'
    )

    comment = await added(gql, fan.token, post_id(post), body)

    html = comment["bodyHtml"]
    # Raw HTML is shown as text, and the javascript: link is no link.
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html
    assert '<a href="https://example.com" rel="noopener nofollow ugc">ok</a>' in html
    assert comment["body"] == body  # the Markdown as written


async def test_replies_stop_at_the_depth_cap(gql: GraphQLClient, sign_in: SignIn) -> None:
    fan = await sign_in()
    post = await make_post(fan.user.id)
    parent = await added(gql, fan.token, post_id(post), "depth 0")
    for depth in range(1, MAX_DEPTH + 1):
        parent = await added(gql, fan.token, post_id(post), f"depth {depth}", parent["id"])
        assert parent["depth"] == depth

    refused = await add(gql, fan.token, post_id(post), "too deep", parent["id"])

    assert refused["__typename"] == "ValidationError"
    assert refused["field"] == "parentId"
    assert await Comment.filter(target_id=post.id).count() == MAX_DEPTH + 1


async def test_a_reply_is_on_its_parents_target_and_not_on_a_deleted_one(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    fan = await sign_in()
    post, other = await make_post(fan.user.id), await make_post(fan.user.id)
    top = await added(gql, fan.token, post_id(post), "first")

    elsewhere = await add(gql, fan.token, post_id(other), "reply", top["id"])
    assert elsewhere["__typename"] == "ValidationError"
    assert elsewhere["field"] == "parentId"

    assert (await delete(gql, fan.token, top["id"]))["__typename"] == "DeleteCommentSuccess"
    to_deleted = await add(gql, fan.token, post_id(post), "reply", top["id"])
    assert to_deleted["__typename"] == "ValidationError"
    assert to_deleted["field"] == "parentId"
    missing = await add(gql, fan.token, post_id(post), "reply", gid("Comment", 987_654))
    assert missing["__typename"] == "NotFoundError"
    assert missing["resource"] == "Comment"
    assert await Comment.filter(target_id__in=[post.id, other.id]).count() == 1


async def test_mentions_are_existing_active_users_other_than_the_author(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    fan = await sign_in()
    await make_user(handle="ana_m")
    await make_user(handle="tom_m")
    await make_user(handle="gone_m", is_active=False)
    post = await make_post(fan.user.id)
    body = (
        f"@Ana_M and @tom_m, @ana_m again, @nobody_here, @gone_m, me @{fan.user.handle}, "
        "mail ana_m@example.com, `@tom_mx`"
    )

    comment = await added(gql, fan.token, post_id(post), body)

    assert comment["mentions"] == [{"handle": "ana_m"}, {"handle": "tom_m"}]
    rows = [
        str(v)
        for v in await CommentMention.all()
        .order_by("position")
        .values_list("user__handle", flat=True)
    ]
    assert rows == ["ana_m", "tom_m"]


async def test_edit_changes_the_body_and_its_mentions(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    fan = await sign_in()
    await make_user(handle="ana_e")
    await make_user(handle="tom_e")
    post = await make_post(fan.user.id)
    comment = await added(gql, fan.token, post_id(post), "hi @ana_e")

    same = await edit(gql, fan.token, comment["id"], " hi @ana_e ")
    assert same["__typename"] == "EditCommentSuccess"
    assert same["comment"]["editedAt"] is None  # nothing changed

    changed = await edit(gql, fan.token, comment["id"], "hi *@tom_e*")

    assert changed["__typename"] == "EditCommentSuccess"
    assert changed["comment"]["body"] == "hi *@tom_e*"
    assert changed["comment"]["bodyHtml"] == "<p>hi <em>@tom_e</em></p>\n"
    assert changed["comment"]["editedAt"] is not None
    assert changed["comment"]["mentions"] == [{"handle": "tom_e"}]
    assert [str(v) for v in await CommentMention.all().values_list("user__handle", flat=True)] == [
        "tom_e"
    ]


async def test_soft_delete_keeps_the_thread_and_hides_body_author_mentions(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    fan = await sign_in()
    await make_user(handle="tom_d")
    post = await make_post(ana.user.id)
    top = await added(gql, fan.token, post_id(post), "hello @tom_d")
    reply = await added(gql, ana.token, post_id(post), "hi!", top["id"])

    gone = await delete(gql, fan.token, top["id"])
    again = await delete(gql, fan.token, top["id"])

    assert gone["__typename"] == again["__typename"] == "DeleteCommentSuccess"
    shown = gone["comment"]
    assert shown["isDeleted"]
    assert shown["body"] == shown["bodyHtml"] == ""
    assert shown["author"] is None
    assert shown["mentions"] == []
    assert shown["replyCount"] == 1
    assert again["comment"] == shown
    assert not await CommentMention.exists()
    page = await thread(gql, post_id(post))
    # counts leave the deleted comment out; the list keeps it, for its replies
    assert page["commentCount"] == 1
    assert page["comments"]["totalCount"] == 1
    [edge] = page["comments"]["edges"]
    assert edge["node"]["isDeleted"]
    assert edge["node"]["author"] is None
    assert edge["node"]["replies"]["edges"][0]["node"]["id"] == reply["id"]
    edited = await edit(gql, fan.token, top["id"], "back")
    assert edited["__typename"] == "NotFoundError"


async def test_a_deleted_reply_leaves_the_reply_count(gql: GraphQLClient, sign_in: SignIn) -> None:
    fan = await sign_in()
    post = await make_post(fan.user.id)
    top = await added(gql, fan.token, post_id(post), "top")
    replies = [await added(gql, fan.token, post_id(post), f"r{n}", top["id"]) for n in range(3)]
    await delete(gql, fan.token, replies[1]["id"])

    page = await thread(gql, post_id(post))

    node = page["comments"]["edges"][0]["node"]
    assert page["commentCount"] == 3
    assert node["replyCount"] == 2
    assert node["replies"]["totalCount"] == 3
    assert [e["node"]["body"] for e in node["replies"]["edges"]] == ["r0", "", "r2"]


async def test_a_deactivated_author_is_null(gql: GraphQLClient, sign_in: SignIn) -> None:
    fan = await sign_in()
    post = await make_post(fan.user.id)
    await added(gql, fan.token, post_id(post), "bye")
    await User.filter(id=fan.user.id).update(is_active=False)

    page = await thread(gql, post_id(post))

    node = page["comments"]["edges"][0]["node"]
    assert node["body"] == "bye"
    assert node["author"] is None


async def test_sort_and_pages_of_top_level_comments_and_replies(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    fan = await sign_in()
    post = await make_post(fan.user.id)
    rows = [await make_comment(fan.user.id, post, f"c{n}") for n in range(5)]
    for n in range(4):
        await make_comment(fan.user.id, post, f"r{n}", parent=rows[0])

    newest = await thread(gql, post_id(post), n=2)
    assert [e["node"]["body"] for e in newest["comments"]["edges"]] == ["c4", "c3"]
    assert newest["comments"]["pageInfo"]["hasNextPage"] is True
    assert newest["comments"]["totalCount"] == 5
    cursor = newest["comments"]["pageInfo"]["endCursor"]
    more = await thread(gql, post_id(post), n=10, after=cursor)
    assert [e["node"]["body"] for e in more["comments"]["edges"]] == ["c2", "c1", "c0"]
    assert more["comments"]["pageInfo"]["hasNextPage"] is False

    oldest = await thread(gql, post_id(post), sort="OLDEST", n=2)
    assert [e["node"]["body"] for e in oldest["comments"]["edges"]] == ["c0", "c1"]
    cursor = oldest["comments"]["pageInfo"]["endCursor"]
    rest = await thread(gql, post_id(post), sort="OLDEST", n=10, after=cursor)
    assert [e["node"]["body"] for e in rest["comments"]["edges"]] == ["c2", "c3", "c4"]

    replies = """
    query($id: ID!, $after: String) { node(id: $id) { ... on Comment { replyCount
      replies(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { body } } } } } }
    """
    first = (await gql.data(replies, {"id": gid("Comment", rows[0].id)}))["node"]
    assert [e["node"]["body"] for e in first["replies"]["edges"]] == ["r0", "r1"]
    assert first["replies"]["pageInfo"]["hasNextPage"] is True
    after = first["replies"]["pageInfo"]["endCursor"]
    second = (await gql.data(replies, {"id": gid("Comment", rows[0].id), "after": after}))["node"]
    assert [e["node"]["body"] for e in second["replies"]["edges"]] == ["r2", "r3"]
    assert second["replies"]["pageInfo"]["hasNextPage"] is False
    assert first["replyCount"] == second["replies"]["totalCount"] == 4


async def test_a_product_off_sale_takes_no_comments_from_shoppers(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    draft = await make_product(merchant=merchant, status=ProductStatus.DRAFT)
    fan = await sign_in()

    refused = await add(gql, fan.token, gid("Product", draft.id), "when?")
    allowed = await add(gql, seller.token, gid("Product", draft.id), "note to self")

    assert refused["__typename"] == "NotFoundError"
    assert refused["resource"] == "Product"
    assert allowed["__typename"] == "AddCommentSuccess"
