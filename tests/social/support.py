"""Follows and share links through the API, for the social tests and the visibility registry."""

from __future__ import annotations

from typing import Any

from models.social import ShareChannel, ShareLink, ShareTargetKind
from tests.utils import GraphQLClient

TARGET = """
    ... on User { handle followerCount viewerFollows }
    ... on Topic { slug followerCount viewerFollows }
"""
FOLLOW = f"""
mutation($id: ID!) {{ follow(targetId: $id) {{
  __typename
  ... on FollowSuccess {{ target {{ __typename {TARGET} }} }}
  ... on ValidationError {{ field message }}
  ... on NotFoundError {{ resource }} }} }}
"""
UNFOLLOW = f"""
mutation($id: ID!) {{ unfollow(targetId: $id) {{
  __typename
  ... on UnfollowSuccess {{ target {{ __typename {TARGET} }} }}
  ... on ValidationError {{ field message }}
  ... on NotFoundError {{ resource }} }} }}
"""
CREATE_LINK = """
mutation($id: ID!, $channel: ShareChannel!) {
  createShareLink(targetId: $id, channel: $channel) {
    __typename
    ... on CreateShareLinkSuccess { shareLink { id code url channel clicks orders units
        gmv { amount currency } sharer { handle }
        target { __typename ... on Product { slug } ... on Post { slug }
                 ... on User { handle } ... on Topic { slug } } } }
    ... on ValidationError { field message }
    ... on NotFoundError { resource } } }
"""
RESOLVE = """
mutation($code: String!) { resolveShareLink(code: $code) {
  __typename
  ... on ResolveShareLinkSuccess { code channel sharer { handle }
      target { __typename ... on Product { slug } ... on Post { slug }
               ... on User { handle } ... on Topic { slug } } }
  ... on ValidationError { field message }
  ... on NotFoundError { resource } } }
"""


async def follow(gql: GraphQLClient, token: str, target: str) -> dict[str, Any]:
    data = await gql.data(FOLLOW, {"id": target}, token=token)
    result: dict[str, Any] = data["follow"]
    return result


async def unfollow(gql: GraphQLClient, token: str, target: str) -> dict[str, Any]:
    data = await gql.data(UNFOLLOW, {"id": target}, token=token)
    result: dict[str, Any] = data["unfollow"]
    return result


async def create_link(
    gql: GraphQLClient, token: str, target: str, channel: str = "WECHAT"
) -> dict[str, Any]:
    data = await gql.data(CREATE_LINK, {"id": target, "channel": channel}, token=token)
    result: dict[str, Any] = data["createShareLink"]
    return result


async def resolve(gql: GraphQLClient, code: str, token: str | None = None) -> dict[str, Any]:
    data = await gql.data(RESOLVE, {"code": code}, token=token)
    result: dict[str, Any] = data["resolveShareLink"]
    return result


async def make_link(
    sharer_id: int,
    target_id: int,
    *,
    code: str = "tt-9",
    kind: ShareTargetKind = ShareTargetKind.PRODUCT,
    channel: ShareChannel = ShareChannel.COPY,
) -> ShareLink:
    """A share link row (the API path is tested in tests/social), e.g. for cart attribution."""
    return await ShareLink.create(
        code=code, sharer_id=sharer_id, target_kind=kind, target_id=target_id, channel=channel
    )
