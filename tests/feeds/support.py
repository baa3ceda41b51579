"""Feeds through the API: reading pages, draining the worker, posts with a given publish time."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from models.content import Post, PostStatus, PostTopic, Topic
from tests.utils import GraphQLClient

HOME = """
query($first: Int, $after: String) { homeFeed(first: $first, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { cursor node { id title author { handle } } } } }
"""
TOPIC = """
query($slug: String!, $first: Int, $after: String) {
  topicFeed(slug: $slug, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { title } } } }
"""
START = datetime(2026, 1, 1, tzinfo=UTC)


async def home(
    gql: GraphQLClient, token: str, first: int = 20, after: str | None = None
) -> dict[str, Any]:
    data = await gql.data(HOME, {"first": first, "after": after}, token=token)
    result: dict[str, Any] = data["homeFeed"]
    return result


def titles(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["title"] for edge in page["edges"]]


async def home_titles(gql: GraphQLClient, token: str, first: int = 20) -> list[str]:
    return titles(await home(gql, token, first))


async def drain(services: Any) -> None:
    """Run every queued job with a burst worker, as the real worker would (fan-outs)."""
    from main import make_worker  # the app module, imported once tests need it

    await services.queue.connect()
    worker = make_worker(
        services.queue,
        in_process=True,
        burst=True,
        storage=services.storage,
        settings=services.settings,
    )
    await asyncio.wait_for(worker.start(), 30)


def with_settings(running: Any, services: Any, **changes: Any) -> Any:
    """Serve the app with changed settings (undone by `restore`); the new services."""
    changed = replace(services, settings=services.settings.replace(**changes))
    running.state["services"] = changed
    return changed


async def topic(slug: str) -> Topic:
    found, _ = await Topic.get_or_create(slug=slug, defaults={"name": slug, "post_count": 1})
    return found


async def post_at(
    author_id: int,
    title: str,
    minutes: float,
    *,
    topics: list[Topic] | None = None,
    status: PostStatus = PostStatus.PUBLISHED,
) -> Post:
    """A post published `minutes` after START (rows only: fan-out is not under test here)."""
    at = START + timedelta(minutes=minutes)
    post = await Post.create(
        author_id=author_id,
        slug=f"{title.lower().replace(' ', '-')}-{author_id}",
        title=title,
        status=status,
        published_at=at if status is PostStatus.PUBLISHED else None,
        publish_at=at if status is PostStatus.SCHEDULED else None,
    )
    for position, found in enumerate(topics or []):
        await PostTopic.create(post_id=post.id, topic_id=found.id, position=position)
    return post
