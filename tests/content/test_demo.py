"""The demo's posts: what the README's Posts and topics examples rely on."""

from __future__ import annotations

from typing import Any

from models.content import Post, PostStatus, Topic
from resolvers.seed import seed_demo


async def test_demo_posts_have_topics_a_draft_and_a_scheduled_post(running: Any) -> None:
    await seed_demo()

    posts = await Post.all().prefetch_related("author")
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
