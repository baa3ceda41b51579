"""A PRIVATE community and its posts are invisible to non-members through every path: the
community by slug, id and listing, and its posts by node, slug, listings, User.posts, topic
pages, Product.mentionedIn, share links, attribution and Post.community."""

from __future__ import annotations

from typing import Any

from models.accounts import Role
from models.content import Post, ShoppableTag, TagTarget
from models.media import Media, MediaKind, MediaStatus
from resolvers.principal import Scope
from tests.communities.support import INVITE, JOIN, act, create_community, published_in
from tests.factories import MakeApp, MakeAppToken, MakeProduct, SignedInUser, SignIn
from tests.utils import GraphQLClient, gid

EVERY_PATH = """
query($slug: String!, $cid: ID!, $pid: ID!, $postSlug: String!, $handle: String!,
      $product: ID!) {
  community(slug: $slug) { slug }
  byId: community(id: $cid) { slug }
  communities(first: 50) { edges { node { slug } } totalCount }
  node(id: $pid) { id }
  nodes(ids: [$pid, $cid]) { id }
  post(slug: $postSlug) { slug community { slug } }
  posts(first: 50) { edges { node { slug } } totalCount }
  user(handle: $handle) { posts(first: 50) { edges { node { slug } } totalCount } }
  topic(slug: "ridge") { posts(first: 50) { edges { node { slug } } totalCount } }
  product(id: $product) { mentionedIn(first: 50) { edges { node { slug } } totalCount } }
}
"""
ATTRIBUTION = """
query($pid: ID!) { contentAttribution(sourceType: POST, sourceId: $pid) { post { slug } } }
"""
SHARE = """
mutation($id: ID!) { createShareLink(targetId: $id, channel: SMS) { __typename } }
"""


async def _tag(post_slug: str, owner_id: int, product_id: int) -> None:
    media = await Media.create(
        owner_id=owner_id,
        kind=MediaKind.IMAGE,
        status=MediaStatus.READY,
        key=f"media/private-{owner_id}/original.png",
        content_type="image/png",
        byte_size=100,
    )
    post = await Post.get(slug=post_slug)
    await Post.filter(id=post.id).update(cover_media_id=media.id)
    await ShoppableTag.create(
        target_kind=TagTarget.POST, target_id=post.id, media_id=media.id, product_id=product_id
    )


def _seen(data: dict[str, Any]) -> dict[str, Any]:
    """What of the private things each path showed."""
    return {
        "community": data["community"],
        "byId": data["byId"],
        "listed": [e["node"]["slug"] for e in data["communities"]["edges"]],
        "node": data["node"],
        "nodes": data["nodes"],
        "post": data["post"],
        "posts": [e["node"]["slug"] for e in data["posts"]["edges"]],
        "userPosts": [e["node"]["slug"] for e in data["user"]["posts"]["edges"]],
        "topic": data["topic"] and [e["node"]["slug"] for e in data["topic"]["posts"]["edges"]],
        "mentionedIn": [e["node"]["slug"] for e in data["product"]["mentionedIn"]["edges"]],
        "counts": [
            data["communities"]["totalCount"],
            data["posts"]["totalCount"],
            data["user"]["posts"]["totalCount"],
            data["product"]["mentionedIn"]["totalCount"],
        ],
    }


async def test_a_private_community_and_its_posts_show_on_no_path_to_outsiders(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> None:
    owner = await sign_in(role=Role.CREATOR)
    member = await sign_in()
    secret = await create_community(
        gql, owner.token, "Trail Crew", visibility="PRIVATE", joinPolicy="INVITE"
    )
    await act(gql, INVITE, owner.token, c=secret["id"], u=gid("User", member.user.id))
    assert (await act(gql, JOIN, member.token, c=secret["id"]))["community"]["memberCount"] == 2
    post = await published_in(gql, owner.token, secret["id"], "North ridge")
    await Post.filter(slug=post["slug"]).update(title="North ridge")
    await _tag_topic(gql, owner, post["id"])
    product = await make_product()
    await _tag(post["slug"], owner.user.id, product.id)
    variables = {
        "slug": secret["slug"],
        "cid": secret["id"],
        "pid": post["id"],
        "postSlug": post["slug"],
        "handle": owner.user.handle,
        "product": gid("Product", product.id),
    }
    member_app = await make_app(member.user, scopes=[Scope.WRITE_CONTENT.value])
    outsiders: dict[str, str | None] = {
        "anonymous": None,
        "other_user": (await sign_in(role=Role.CREATOR)).token,
        "platform_moderator": (await sign_in(role=Role.MODERATOR)).token,
        "member_app_without_read_content": await make_app_token(member_app),
    }

    nothing = {
        "community": None,
        "byId": None,
        "listed": [],
        "node": None,
        "nodes": [None, None],
        "post": None,
        "posts": [],
        "userPosts": [],
        "topic": None,  # only private posts carry it: the topic itself is not shown
        "mentionedIn": [],
        "counts": [0, 0, 0, 0],
    }
    for label, token in outsiders.items():
        seen = _seen(await gql.data(EVERY_PATH, variables, token=token))
        assert seen == nothing, label
    for label in ("other_user", "platform_moderator"):
        token = outsiders[label]
        refused = await gql.data(SHARE, {"id": post["id"]}, token=token)
        assert refused["createShareLink"]["__typename"] == "NotFoundError", label
        credited = await gql.data(ATTRIBUTION, {"pid": post["id"]}, token=token)
        assert credited["contentAttribution"]["post"] is None, label
    everything = {
        "community": {"slug": secret["slug"]},
        "byId": {"slug": secret["slug"]},
        "listed": [secret["slug"]],
        "node": {"id": post["id"]},
        "nodes": [{"id": post["id"]}, {"id": secret["id"]}],
        "post": {"slug": post["slug"], "community": {"slug": secret["slug"]}},
        "posts": [post["slug"]],
        "userPosts": [post["slug"]],
        "topic": [post["slug"]],
        "mentionedIn": [post["slug"]],
        "counts": [1, 1, 1, 1],
    }
    admin = await sign_in(role=Role.ADMIN)
    for label, token in {
        "member": member.token,
        "owner": owner.token,
        "admin": admin.token,
    }.items():
        assert _seen(await gql.data(EVERY_PATH, variables, token=token)) == everything, label


async def _tag_topic(gql: GraphQLClient, owner: SignedInUser, post_id: str) -> None:
    edit = """mutation($id: ID!) { updatePost(postId: $id, topics: ["ridge"]) { __typename } }"""
    assert (await gql.data(edit, {"id": post_id}, token=owner.token))["updatePost"][
        "__typename"
    ] == "UpdatePostSuccess"


async def test_an_invite_shows_the_community_but_not_its_posts(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    owner, invitee = await sign_in(), await sign_in()
    secret = await create_community(gql, owner.token, "Crew", visibility="PRIVATE")
    post = await published_in(gql, owner.token, secret["id"])
    await act(gql, INVITE, owner.token, c=secret["id"], u=gid("User", invitee.user.id))
    page = """query($slug: String!, $id: ID!) {
      community(slug: $slug) { slug viewerMembership { status } posts { totalCount }
        members { totalCount } }
      node(id: $id) { id } }"""

    seen = await gql.data(page, {"slug": secret["slug"], "id": post["id"]}, token=invitee.token)

    assert seen == {
        "community": {
            "slug": secret["slug"],
            "viewerMembership": {"status": "INVITED"},
            "posts": None,
            "members": None,
        },
        "node": None,
    }


async def test_a_public_communitys_posts_are_everyones(gql: GraphQLClient, sign_in: SignIn) -> None:
    owner = await sign_in()
    open_one = await create_community(gql, owner.token, "Open house")
    post = await published_in(gql, owner.token, open_one["id"], "Hello all")

    seen = await gql.data(
        "query($id: ID!) { node(id: $id) { ... on Post { slug community { slug } } } }",
        {"id": post["id"]},
    )

    assert seen["node"] == {"slug": post["slug"], "community": {"slug": open_one["slug"]}}


async def test_a_community_turned_private_hides_its_posts_at_once(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    owner = await sign_in()
    community = await create_community(gql, owner.token, "Soon private")
    post = await published_in(gql, owner.token, community["id"])
    listing = "{ posts { totalCount } }"
    assert (await gql.data(listing))["posts"]["totalCount"] == 1

    from tests.communities.support import UPDATE

    changed = await act(
        gql, UPDATE, owner.token, c=community["id"], input={"visibility": "PRIVATE"}
    )

    assert changed["community"]["visibility"] == "PRIVATE"
    assert (await gql.data(listing))["posts"]["totalCount"] == 0
    assert (await gql.data("query($id: ID!) { node(id: $id) { id } }", {"id": post["id"]})) == {
        "node": None
    }
