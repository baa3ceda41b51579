"""The content domain's per-request loaders (see resolvers/loading.py)."""

from __future__ import annotations

from collections import defaultdict

from models.content import (
    Post,
    PostRevision,
    PostTopic,
    ShoppableTag,
    TagTarget,
    Topic,
    Tutorial,
    TutorialPart,
    TutorialStep,
)
from resolvers.loading import LoaderSpec, by_id, grouped

post_by_id = by_id(Post)
topic_by_id = by_id(Topic)
post_revision_by_id = by_id(PostRevision)


async def _load_post_by_slug(slugs: list[str]) -> list[Post | None]:
    found = {row.slug: row for row in await Post.filter(slug__in=slugs)}
    return [found.get(slug) for slug in slugs]


async def _load_topic_by_slug(slugs: list[str]) -> list[Topic | None]:
    found = {row.slug: row for row in await Topic.filter(slug__in=slugs)}
    return [found.get(slug) for slug in slugs]


async def _load_topics(post_ids: list[int]) -> list[list[Topic]]:
    # One query with the topics joined in, so a page of posts costs one statement for its topics.
    rows = (
        await PostTopic.filter(post_id__in=post_ids)
        .select_related("topic")
        .order_by("post_id", "position", "id")
    )
    topics: defaultdict[int, list[Topic]] = defaultdict(list)
    for row in rows:
        topics[row.post_id].append(row.topic)
    return [topics[post_id] for post_id in post_ids]


post_by_slug = LoaderSpec("Post.by_slug", _load_post_by_slug)
topic_by_slug = LoaderSpec("Topic.by_slug", _load_topic_by_slug)
# Each post's topics, in the order the author gave them.
topics_by_post = LoaderSpec("Topic.by_post", _load_topics)


# ---- tutorials ---------------------------------------------------------------------------------

tutorial_by_id = by_id(Tutorial)
steps_by_tutorial = grouped(TutorialStep, "tutorial_id", order_by=("position",))
parts_by_tutorial = grouped(TutorialPart, "tutorial_id", order_by=("position",))


async def _load_tutorial_by_slug(slugs: list[str]) -> list[Tutorial | None]:
    found = {row.slug: row for row in await Tutorial.filter(slug__in=slugs)}
    return [found.get(slug) for slug in slugs]


tutorial_by_slug = LoaderSpec("Tutorial.by_slug", _load_tutorial_by_slug)


def _tags_of(kind: TagTarget) -> LoaderSpec[int, list[ShoppableTag]]:
    async def load(target_ids: list[int]) -> list[list[ShoppableTag]]:
        rows = await ShoppableTag.filter(target_kind=kind, target_id__in=target_ids).order_by(
            "target_id", "media_id", "position", "id"
        )
        found: defaultdict[int, list[ShoppableTag]] = defaultdict(list)
        for row in rows:
            found[row.target_id].append(row)
        return [found[target_id] for target_id in target_ids]

    return LoaderSpec(f"ShoppableTag.by_{kind.value}", load)


# Every tag of each post (of each review), one statement for a whole page of them.
tags_by_post = _tags_of(TagTarget.POST)
tags_by_review = _tags_of(TagTarget.REVIEW)
tags_by_tutorial = _tags_of(TagTarget.TUTORIAL)
