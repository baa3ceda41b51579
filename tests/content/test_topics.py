"""Topics: normalised on first use, one per name, exact published-post counts, listings."""

from __future__ import annotations

from typing import Any

from models.content import Topic
from tests.content.support import CREATE, create_post, published_post
from tests.factories import SignIn
from tests.utils import GraphQLClient

# "MATCHA" in fullwidth letters: NFKC makes it plain ASCII.
FULLWIDTH = "\uff2d\uff21\uff34\uff23\uff28\uff21"
COUNTS = """
{ topics(sort: POST_COUNT) { totalCount edges { node { slug postCount followerCount } } } }
"""


async def test_topics_are_normalised_and_created_once(gql: GraphQLClient, sign_in: SignIn) -> None:
    author = await sign_in()
    post = await create_post(gql, author.token, topics=["#Matcha", "matcha", FULLWIDTH, "抹茶"])

    assert post["topics"] == [
        {"slug": "matcha", "name": "Matcha"},
        {"slug": "抹茶", "name": "抹茶"},
    ]
    again = await create_post(gql, author.token, title="More", topics=["MATCHA"])
    assert again["topics"] == [{"slug": "matcha", "name": "Matcha"}]  # the first spelling stays
    assert await Topic.all().count() == 2
    page = await gql.data('{ topic(slug: "#MaTcHa") { slug name } }')
    assert page == {"topic": {"slug": "matcha", "name": "Matcha"}}


async def test_bad_topics_are_refused(gql: GraphQLClient, sign_in: SignIn) -> None:
    author = await sign_in()
    for topics in (["two words"], ["a" * 51], ["#"], ["semi;colon"], [f"t{n}" for n in range(11)]):
        data = await gql.data(
            CREATE, {"title": "T", "body": "", "topics": topics}, token=author.token
        )
        assert data["createPost"]["__typename"] == "ValidationError", topics
        assert data["createPost"]["field"] == "topics"
    assert await Topic.all().count() == 0
    assert (await gql.data('{ topic(slug: "two words") { slug } }'))["topic"] is None


ARCHIVE = "mutation($id: ID!) { archivePost(postId: $id) { __typename } }"
DELETE = "mutation($id: ID!) { deletePost(postId: $id) { __typename } }"


def _counts(data: Any) -> dict[str, int]:
    return {e["node"]["slug"]: e["node"]["postCount"] for e in data["topics"]["edges"]}


async def test_post_counts_follow_publishing_archiving_and_deleting(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author = await sign_in()
    first = await published_post(gql, author.token, title="One", topics=["tea", "green"])
    await published_post(gql, author.token, title="Two", topics=["tea"])
    await create_post(gql, author.token, title="Draft", topics=["tea", "draftonly"])

    listed = await gql.data(COUNTS)
    assert [e["node"] for e in listed["topics"]["edges"]] == [
        {"slug": "tea", "postCount": 2, "followerCount": 0},
        {"slug": "green", "postCount": 1, "followerCount": 0},
    ]  # a topic only drafts use is not listed (usedOnly)
    every = await gql.data("{ topics(sort: NAME, usedOnly: false) { edges { node { slug } } } }")
    assert [e["node"]["slug"] for e in every["topics"]["edges"]] == ["draftonly", "green", "tea"]

    await gql.data(ARCHIVE, {"id": first["id"]}, token=author.token)
    assert _counts(await gql.data(COUNTS)) == {"tea": 1}
    await gql.data(
        "mutation($id: ID!) { publishPost(postId: $id) { __typename } }",
        {"id": first["id"]},
        token=author.token,
    )
    assert _counts(await gql.data(COUNTS)) == {"tea": 2, "green": 1}
    await gql.data(DELETE, {"id": first["id"]}, token=author.token)
    assert _counts(await gql.data(COUNTS)) == {"tea": 1}
    page = await gql.data('{ topic(slug: "tea") { postCount posts { totalCount } } }')
    assert page == {"topic": {"postCount": 1, "posts": {"totalCount": 1}}}
