"""The demo's posts and tutorial: what the README's Posts and topics and Tutorials examples
rely on."""

from __future__ import annotations

from typing import Any

from models.catalog import Variant
from models.content import Post, PostStatus, Topic, Tutorial, TutorialPart, TutorialStatus
from models.media import Media
from resolvers.seed import seed_demo
from tests.utils import GraphQLClient


async def test_demo_posts_have_topics_a_draft_and_a_scheduled_post(running: Any) -> None:
    await seed_demo()

    # Outside communities (tests/communities/test_demo.py has those).
    posts = await Post.filter(community_id__isnull=True).prefetch_related("author")
    by_status = {status: [p for p in posts if p.status is status] for status in PostStatus}
    assert {p.author.handle for p in posts} == {"chef_ana", "trail_tom"}
    assert len(by_status[PostStatus.PUBLISHED]) == 3
    assert [p.author.handle for p in by_status[PostStatus.DRAFT]] == ["chef_ana"]
    [scheduled] = by_status[PostStatus.SCHEDULED]
    assert scheduled.author.handle == "trail_tom"
    assert scheduled.publish_at is not None
    tea = await Topic.get(slug="tea")
    assert (tea.name, tea.post_count) == ("Tea", 2)
    assert await Post.filter(slug="dragon-well-three-ways").exists()


async def test_demo_has_a_published_tutorial_with_parts_one_of_them_sold_out(
    running: Any,
) -> None:
    await seed_demo()

    tutorial = await Tutorial.get(slug="gongfu-tea-at-home").prefetch_related("author")
    assert tutorial.author.handle == "chef_ana"
    assert tutorial.status is TutorialStatus.PUBLISHED
    assert tutorial.step_count == 3
    parts = await TutorialPart.filter(tutorial_id=tutorial.id).order_by("position")
    assert len(parts) == 4
    sold_out = await Variant.get(id=parts[3].variant_id)
    assert (sold_out.title, sold_out.stock) == ("350 ml", 0)


DEMO_PAGE = """
{ post(slug: "dragon-well-three-ways") {
    cover { status width height variants { name width } }
    media { status }
    tags { x y media { id } product { title } variant { title } }
    hasUnavailableProducts } }
"""


async def test_a_demo_post_has_real_images_and_product_tags(
    services: Any, gql: GraphQLClient
) -> None:
    assert await seed_demo(storage=services.storage)

    page = (await gql.data(DEMO_PAGE))["post"]

    # Real PNGs, stored as uploads are and processed by the worker's code: sizes and variants.
    assert page["cover"]["status"] == "READY"
    assert (page["cover"]["width"], page["cover"]["height"]) == (640, 480)
    assert sorted(v["name"] for v in page["cover"]["variants"]) == ["display", "thumbnail"]
    assert [m["status"] for m in page["media"]] == ["READY", "READY"]
    assert [(t["product"]["title"], (t["variant"] or {}).get("title")) for t in page["tags"]] == [
        ("Dragon Well Green Tea", "50 g"),
        ("Glass Gongfu Teapot", "200 ml"),
        ("Dragon Well Green Tea", None),
    ]
    assert page["hasUnavailableProducts"] is False
    for media in await Media.all():
        assert await services.storage.head(media.key) is not None


DEMO_TUTORIAL = """
{ tutorial(slug: "gongfu-tea-at-home") {
    cover { status width }
    steps { title media { status } tags { x y product { title } variant { title } } }
    hasUnavailableProducts } }
"""


async def test_the_demo_tutorial_has_a_cover_and_tagged_step_images(
    services: Any, gql: GraphQLClient
) -> None:
    assert await seed_demo(storage=services.storage)

    page = (await gql.data(DEMO_TUTORIAL))["tutorial"]

    assert page["cover"] == {"status": "READY", "width": 640}
    steps = page["steps"]
    assert [[m["status"] for m in step["media"]] for step in steps] == [["READY"], ["READY"], []]
    tagged = [[(t["product"]["title"], t["variant"]["title"]) for t in s["tags"]] for s in steps]
    assert tagged == [[("Glass Gongfu Teapot", "200 ml")], [("Dragon Well Green Tea", "50 g")], []]
    # One of its parts (the 350 ml teapot) is sold out.
    assert page["hasUnavailableProducts"] is True
