"""Posts: who sees drafts and scheduled posts, the worker that publishes them, Markdown
rendering and sanitising, revisions, and SQL counts that do not grow with the page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from models.accounts import Role
from models.content import Post, PostStatus, PostTopic, Topic
from resolvers.content import clean_html, render_markdown
from tests.content.support import create_post, publish, published_post
from tests.factories import MakeUser, SignIn
from tests.utils import GraphQLClient, run_job

BY_ID = "query($id: ID!) { post(id: $id) { id title status } }"
BY_SLUG = "query($slug: String!) { post(slug: $slug) { id } }"
NODE = "query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }"
USER_POSTS = """
query($handle: String!) { user(handle: $handle) { posts { totalCount edges { node { id } } } } }
"""
TOPIC = """
query($slug: String!) {
  topic(slug: $slug) { postCount posts { totalCount edges { node { id } } } }
}
"""
LISTING = """
query($status: PostStatus, $author: ID) {
  posts(filter: {status: $status, authorId: $author}) { totalCount edges { node { id } } }
}
"""


async def _paths(gql: GraphQLClient, token: str | None, post: dict[str, Any], handle: str) -> Any:
    """Where a post can turn up, and what each path shows the caller: ids found."""
    by_id = await gql.data(BY_ID, {"id": post["id"]}, token=token)
    by_slug = await gql.data(BY_SLUG, {"slug": post["slug"]}, token=token)
    node = await gql.data(NODE, {"id": post["id"]}, token=token)
    mine = await gql.data(USER_POSTS, {"handle": handle}, token=token)
    topic = await gql.data(TOPIC, {"slug": "#Secret"}, token=token)
    listed = [
        await gql.data(LISTING, variables, token=token)
        for variables in (
            {},
            {"status": "DRAFT"},
            {"status": "SCHEDULED"},
        )
    ]

    def ids(connection: dict[str, Any]) -> list[str]:
        return [edge["node"]["id"] for edge in connection["edges"]]

    return {
        "post(id)": bool(by_id["post"]),
        "post(slug)": bool(by_slug["post"]),
        "node": bool(node["node"]),
        "nodes": node["nodes"] != [None],
        "User.posts": post["id"] in ids(mine["user"]["posts"]),
        "topic page": post["id"] in ids(topic["topic"]["posts"]),
        "posts": any(post["id"] in ids(found["posts"]) for found in listed),
    }


NOWHERE = dict.fromkeys(
    ["post(id)", "post(slug)", "node", "nodes", "User.posts", "topic page", "posts"], False
)


async def test_drafts_and_scheduled_posts_are_invisible_to_others_on_every_path(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author = await sign_in(role=Role.SHOPPER)  # a KOC: ordinary users post too
    draft = await create_post(gql, author.token, title="Draft", topics=["secret"])
    scheduled = await create_post(gql, author.token, title="Later", topics=["secret"])
    later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    assert (await publish(gql, author.token, scheduled["id"], later))["post"]["status"] == (
        "SCHEDULED"
    )
    await published_post(gql, author.token, topics=["Secret"])  # so the topic page has posts
    other, moderator, admin = (
        await sign_in(role=Role.CREATOR),
        await sign_in(role=Role.MODERATOR),
        await sign_in(role=Role.ADMIN),
    )
    handle = author.user.handle

    for post in (draft, scheduled):
        for stranger in (None, other.token, moderator.token):
            assert await _paths(gql, stranger, post, handle) == NOWHERE, (post, stranger)
        seen_by_author = await _paths(gql, author.token, post, handle)
        assert seen_by_author == NOWHERE | {
            "post(id)": True,
            "post(slug)": True,
            "node": True,
            "nodes": True,
            "User.posts": True,
            "posts": True,  # in the listing of their own drafts / scheduled posts
        }
        seen_by_admin = await _paths(gql, admin.token, post, handle)
        assert seen_by_admin == seen_by_author
    topic = await gql.data(TOPIC, {"slug": "secret"})
    assert topic["topic"]["postCount"] == topic["topic"]["posts"]["totalCount"] == 1


async def test_a_scheduled_post_goes_out_through_the_worker_only_once_due(
    services: Any, gql: GraphQLClient, sign_in: SignIn
) -> None:
    author = await sign_in(role=Role.CREATOR)
    post = await create_post(gql, author.token, title="Autumn trails", topics=["hiking"])
    at = datetime.now(UTC) + timedelta(hours=1)
    result = await publish(gql, author.token, post["id"], at.isoformat())
    assert result["post"]["status"] == "SCHEDULED"
    assert datetime.fromisoformat(result["post"]["publishAt"]) == at

    early = await run_job(services.queue, "publish_due_posts")
    assert early.status == "complete", early.error
    assert early.result == {"published": 0}
    assert (await gql.data(BY_ID, {"id": post["id"]}))["post"] is None

    due = datetime.now(UTC) - timedelta(minutes=1)
    await Post.filter(slug=post["slug"]).update(publish_at=due)
    # Due, but nothing publishes it until the worker runs.
    assert (await gql.data(BY_ID, {"id": post["id"]}))["post"] is None

    job = await run_job(services.queue, "publish_due_posts")

    assert job.status == "complete", job.error
    assert job.result == {"published": 1}
    seen = await gql.data(
        "query($id: ID!) { post(id: $id) { status publishAt publishedAt } "
        'topic(slug: "hiking") { postCount } }',
        {"id": post["id"]},
    )
    assert seen["post"]["status"] == "PUBLISHED"
    assert seen["post"]["publishAt"] is None
    assert datetime.fromisoformat(seen["post"]["publishedAt"]) == due
    assert seen["topic"]["postCount"] == 1
    again = await run_job(services.queue, "publish_due_posts")
    assert again.result == {"published": 0}


async def test_publishing_refuses_times_it_cannot_keep(gql: GraphQLClient, sign_in: SignIn) -> None:
    author = await sign_in()
    post = await published_post(gql, author.token)
    far = (datetime.now(UTC) + timedelta(days=400)).isoformat()
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    draft = await create_post(gql, author.token, title="Later")

    too_far = await publish(gql, author.token, draft["id"], far)
    already_out = await publish(gql, author.token, post["id"], soon)
    now_again = await publish(gql, author.token, post["id"])

    assert too_far == {
        "__typename": "ValidationError",
        "field": "publishAt",
        "message": too_far["message"],
    }
    assert already_out["__typename"] == "ValidationError"
    assert now_again["post"]["status"] == "PUBLISHED"  # publishing a published post is a no-op


EVIL = """**bold** and [a link](https://example.com/a) and ~~gone~~

<script>alert(1)</script>
<img src="x" onerror="alert(1)">
<a href="javascript:alert(1)" onclick="alert(1)">html link</a>
[md link](javascript:alert(1)) ![img](javascript:alert(1)) [data](data:text/html,x)

| a | b |
|---|---|
| 1 | 2 |
"""


class _Tags(HTMLParser):
    """The real elements and attributes of some HTML (escaped text is text, not tags)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _harmless(html: str) -> None:
    for tag, attrs in _Tags(html).found:
        assert tag not in ("script", "style", "iframe"), html
        for name, value in attrs:
            assert not name.startswith("on"), html
            if name in ("href", "src"):
                assert (value or "").strip().lower().startswith(("https:", "http:", "mailto:")), (
                    html
                )


async def test_markdown_is_rendered_and_sanitised(gql: GraphQLClient, sign_in: SignIn) -> None:
    author = await sign_in()
    post = await create_post(gql, author.token, body=EVIL)

    html = post["bodyHtml"]
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com/a" rel="noopener nofollow ugc">a link</a>' in html
    assert "<del>gone</del>" in html or "<s>gone</s>" in html
    assert "<table>" in html
    assert "&lt;script&gt;" in html  # raw HTML is shown as text, never run
    _harmless(html)


@pytest.mark.parametrize(
    "html",
    [
        '<p onclick="alert(1)">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        "<script>alert(1)</script><p>x</p>",
        '<img src="https://a.test/i.png" onerror="alert(1)">',
    ],
)
def test_the_sanitiser_cleans_html_even_if_the_renderer_let_it_through(html: str) -> None:
    # Markdown with raw HTML turned off never emits these; nh3 must still remove them should a
    # renderer change ever pass HTML through (render_markdown cleans whatever markdown-it makes).
    _harmless(clean_html(html))
    _harmless(render_markdown(html))


REVISIONS = """
query($id: ID!) { post(id: $id) { title revisionCount
  revisions { edges { node { number title body topics restoredFrom editor { handle } } } } } }
"""
UPDATE = """
mutation($id: ID!, $title: String, $body: String, $topics: [String!]) {
  updatePost(postId: $id, title: $title, body: $body, topics: $topics) {
    __typename ... on UpdatePostSuccess { post { title bodyHtml topics { slug } } } } }
"""
RESTORE = """
mutation($id: ID!, $n: Int!) { restorePostRevision(postId: $id, number: $n) {
  __typename ... on RestorePostRevisionSuccess { post { title body topics { slug } } }
  ... on NotFoundError { resource } } }
"""


async def test_every_edit_is_a_revision_the_author_can_restore(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author = await sign_in()
    post = await published_post(gql, author.token, title="First", topics=["tea"])
    pid = post["id"]
    await gql.data(UPDATE, {"id": pid, "title": "Second"}, token=author.token)
    edited = await gql.data(
        UPDATE, {"id": pid, "body": "*new*", "topics": ["coffee"]}, token=author.token
    )
    assert edited["updatePost"]["post"]["bodyHtml"] == "<p><em>new</em></p>\n"

    await gql.data(UPDATE, {"id": pid}, token=author.token)  # no change, so no revision
    history = (await gql.data(REVISIONS, {"id": pid}, token=author.token))["post"]
    assert history["revisionCount"] == 3
    assert [
        (r["node"]["number"], r["node"]["title"], r["node"]["topics"])
        for r in history["revisions"]["edges"]
    ] == [(3, "Second", ["coffee"]), (2, "Second", ["tea"]), (1, "First", ["tea"])]
    assert history["revisions"]["edges"][0]["node"]["editor"]["handle"] == author.user.handle

    restored = await gql.data(RESTORE, {"id": pid, "n": 1}, token=author.token)
    missing = await gql.data(RESTORE, {"id": pid, "n": 99}, token=author.token)

    assert restored["restorePostRevision"]["post"] == {
        "title": "First",
        "body": "Brew at **80 °C**.",
        "topics": [{"slug": "tea"}],
    }
    assert missing["restorePostRevision"] == {
        "__typename": "NotFoundError",
        "resource": "PostRevision",
    }
    after = (await gql.data(REVISIONS, {"id": pid}, token=author.token))["post"]
    assert after["revisionCount"] == 4
    assert after["revisions"]["edges"][0]["node"]["restoredFrom"] == 1
    counts = await gql.data(
        '{ a: topic(slug: "tea") { postCount } b: topic(slug: "coffee") { postCount } }',
    )
    # "coffee" is carried by no post now: a topic no published post carries is shown only to
    # the authors of posts that carry it, and admins.
    assert counts == {"a": {"postCount": 1}, "b": None}
    # The post is public; its history is not.
    stranger = await sign_in()
    assert (await gql.data(REVISIONS, {"id": pid}, token=stranger.token))["post"][
        "revisions"
    ] is None


PAGE = """
query($n: Int!) { posts(first: $n) { edges { node { title slug bodyHtml
  author { handle displayName } topics { slug name postCount } } } } }
"""


async def test_listing_costs_the_same_sql_for_5_and_50_posts(
    gql: GraphQLClient, make_user: MakeUser
) -> None:
    authors = [await make_user(role=Role.CREATOR) for _ in range(5)]
    # Rows written straight to the database (the API path is tested above): 55 published posts
    # by 5 authors with two topics each, and a draft that must not be listed.
    topics = [await Topic.create(slug=f"t{n}", name=f"t{n}", post_count=8) for n in range(7)]
    every = await Topic.create(slug="all", name="all", post_count=55)
    now = datetime.now(UTC)
    for n in range(56):
        status = PostStatus.PUBLISHED if n < 55 else PostStatus.DRAFT
        post = await Post.create(
            author_id=authors[n % 5].id,
            slug=f"post-{n}",
            title=f"Post {n}",
            body="x",
            body_html="<p>x</p>",
            status=status,
            published_at=now if n < 55 else None,
        )
        await PostTopic.create(post_id=post.id, topic_id=topics[n % 7].id, position=0)
        await PostTopic.create(post_id=post.id, topic_id=every.id, position=1)

    small = await gql.post(PAGE, {"n": 5})
    large = await gql.post(PAGE, {"n": 50})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert len(small.data["posts"]["edges"]) == 5
    assert len(large.data["posts"]["edges"]) == 50
    assert large.data["posts"]["edges"][0]["node"]["topics"][1] == {
        "slug": "all",
        "name": "all",
        "postCount": 55,
    }
    assert await Post.filter(status=PostStatus.PUBLISHED).count() == 55
    # the page, its authors, its topics (one joined query)
    assert small.sql == large.sql == 3
