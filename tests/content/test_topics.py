"""Topics: normalised on first use, one per name, exact published-post counts, listings."""

from __future__ import annotations

import asyncio
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
    # Drafts only so far: the topic page is the author's (see the counts test).
    page = await gql.data('{ topic(slug: "#MaTcHa") { slug name } }', token=author.token)
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


def _slugs(data: Any) -> list[str]:
    return [e["node"]["slug"] for e in data["topics"]["edges"]]


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
    every = "{ topics(sort: NAME, usedOnly: false) { edges { node { slug } } } }"
    # A topic only drafts carry is its authors' (and admins') to see: a draft's hashtag can
    # name what is not announced yet.
    assert _slugs(await gql.data(every)) == ["green", "tea"]
    assert _slugs(await gql.data(every, token=author.token)) == ["draftonly", "green", "tea"]
    assert await gql.data('{ topic(slug: "draftonly") { slug } }') == {"topic": None}
    mine = await gql.data('{ topic(slug: "draftonly") { slug } }', token=author.token)
    assert mine == {"topic": {"slug": "draftonly"}}

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


UPDATE_TOPICS = """
mutation($id: ID!, $topics: [String!]) { updatePost(postId: $id, topics: $topics) {
  __typename } }
"""


async def test_concurrent_topic_edits_on_published_posts_keep_counts_exact(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    # given: eight authors' published posts, none in `matcha` yet, which exists
    authors = [await sign_in() for _ in range(8)]
    await published_post(gql, authors[0].token, title="First", topics=["matcha"])
    posts = [
        await published_post(gql, a.token, title=f"P{n}", topics=["tea"])
        for n, a in enumerate(authors)
    ]

    # when: all move to `matcha` at once (each insert locks the topic for its foreign key)
    replies = await asyncio.gather(
        *(
            gql.post(UPDATE_TOPICS, {"id": p["id"], "topics": ["matcha", "tea"]}, token=a.token)
            for p, a in zip(posts, authors, strict=True)
        )
    )

    # then: no deadlock aborted one, and the counts are the rows
    assert [r.errors for r in replies] == [[]] * 8
    assert {r.data["updatePost"]["__typename"] for r in replies} == {"UpdatePostSuccess"}
    assert _counts(await gql.data(COUNTS)) == {"matcha": 9, "tea": 8}


async def test_topics_by_name_page_with_their_cursors(gql: GraphQLClient, sign_in: SignIn) -> None:
    author = await sign_in()
    await published_post(gql, author.token, topics=["alpha", "beta", "gamma"])
    query = """query($after: String) { topics(sort: NAME, first: 2, after: $after) {
      pageInfo { endCursor } edges { node { slug } } } }"""

    first = (await gql.data(query))["topics"]
    rest = (await gql.data(query, {"after": first["pageInfo"]["endCursor"]}))["topics"]

    assert [e["node"]["slug"] for e in first["edges"] + rest["edges"]] == ["alpha", "beta", "gamma"]


async def test_a_post_slug_longer_than_any_names_none(gql: GraphQLClient) -> None:
    response = await gql.post("query($s: String!) { post(slug: $s) { id } }", {"s": "x" * 101})

    assert response.errors == []
    assert response.data == {"post": None}
    assert response.sql == 0
