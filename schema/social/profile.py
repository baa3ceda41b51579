"""The social fields of User and Topic (follower counts and lists, viewerFollows, share links).

Those types live in schema/accounts.py and schema/content/types.py, which import this module
lazily (it imports them): each field there is one call here.
"""

from __future__ import annotations

from models.social import FollowTargetKind
from resolvers import social
from resolvers.social.loaders import follower_count, following_count, viewer_follows
from schema.accounts import User
from schema.base import Info
from schema.content import Topic
from schema.pagination import Connection, page_args, to_connection
from schema.social.types import ShareLink

USER, TOPIC = FollowTargetKind.USER, FollowTargetKind.TOPIC
PageArguments = tuple[int | None, str | None, int | None, str | None]


async def count_followers(info: Info, kind: FollowTargetKind, pk: int) -> int:
    return await info.context.loaders[follower_count].load((kind, pk))


async def count_following(info: Info, user_id: int) -> int:
    return await info.context.loaders[following_count].load(user_id)


async def viewer_follows_target(info: Info, kind: FollowTargetKind, pk: int) -> bool:
    """False for anonymous callers (no SQL); one batched query for a page of targets."""
    viewer = info.context.principal.user
    if viewer is None or (kind is USER and viewer.id == pk):
        return False
    return await info.context.loaders[viewer_follows].load((viewer.id, kind, pk))


async def followers(
    info: Info, kind: FollowTargetKind, pk: int, paging: PageArguments
) -> Connection[User]:
    found = await social.followers(info.context, kind, pk, page_args(*paging))
    return to_connection(found.page, lambda row: User.from_model(found.end(row, of_follower=True)))


async def following(info: Info, user_id: int, paging: PageArguments) -> Connection[User]:
    found = await social.following(info.context, user_id, USER, page_args(*paging))
    return to_connection(found.page, lambda row: User.from_model(found.end(row, of_follower=False)))


async def followed_topics(info: Info, user_id: int, paging: PageArguments) -> Connection[Topic]:
    found = await social.following(info.context, user_id, TOPIC, page_args(*paging))
    return to_connection(
        found.page, lambda row: Topic.from_model(found.end(row, of_follower=False))
    )


async def share_links(
    info: Info, user_id: int, paging: PageArguments
) -> Connection[ShareLink] | None:
    page = await social.user_share_links(info.context, user_id, page_args(*paging))
    return None if page is None else to_connection(page, ShareLink.from_model)
