"""Reports and moderation through the API, and the rows they act on, for the moderation
tests, the authorization matrix and the visibility registry."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from models.catalog import Product
from models.comments import Comment
from models.communities import (
    Community,
    CommunityMember,
    MemberRole,
    MemberStatus,
)
from models.content import Post, PostStatus
from models.reviews import Review
from tests.utils import GraphQLClient, Response, gid

_sequence = itertools.count(1)

TARGET = """
  __typename
  ... on Post { id title } ... on Tutorial { id title } ... on Review { id title }
  ... on Comment { id body } ... on Community { id name }
"""
ERRORS = """
  ... on ValidationError { field message } ... on NotFoundError { resource message }
  ... on PermissionDeniedError { message }
"""
REPORT = f"""
mutation($id: ID!, $reason: String!) {{ report(targetId: $id, reason: $reason) {{
  __typename ... on ReportSuccess {{ report {{ reason status reporter {{ handle }} }}
    target {{ {TARGET} }} }} {ERRORS} }} }}
"""
MODERATE = f"""
mutation($id: ID!, $action: ModerationAction!, $note: String) {{
  moderate(targetId: $id, action: $action, note: $note) {{
    __typename ... on ModerateSuccess {{ hidden target {{ {TARGET} }}
      item {{ id status reportCount openReportCount }} }}
    ... on ValidationError {{ field message }} ... on NotFoundError {{ resource message }} }} }}
"""
QUEUE = f"""
query($filter: ModerationQueueFilter, $n: Int) {{ moderationQueue(filter: $filter, first: $n) {{
  totalCount edges {{ node {{ id targetKind status reportCount openReportCount targetHidden
    community {{ slug }} target {{ {TARGET} }}
    latestReports {{ reason status reporter {{ handle }} }}
    log {{ action note reportsClosed moderator {{ handle }} }} }} }} }} }}
"""


async def report(gql: GraphQLClient, token: str, target: str, reason: str = "Spam") -> Any:
    """The report payload (no top-level errors allowed)."""
    data = await gql.data(REPORT, {"id": target, "reason": reason}, token=token)
    return data["report"]


async def moderate(
    gql: GraphQLClient, token: str | None, target: str, action: str, note: str | None = None
) -> Response:
    return await gql.post(MODERATE, {"id": target, "action": action, "note": note}, token=token)


async def queue(gql: GraphQLClient, token: str, n: int = 20, **filter: Any) -> list[dict[str, Any]]:
    data = await gql.data(QUEUE, {"filter": filter or None, "n": n}, token=token)
    return [edge["node"] for edge in data["moderationQueue"]["edges"]]


async def make_community(owner_id: int, **fields: Any) -> Community:
    n = next(_sequence)
    community = await Community.create(
        slug=f"moderated-{n}", name=f"Community {n}", creator_id=owner_id, **fields
    )
    await CommunityMember.create(
        community_id=community.id,
        user_id=owner_id,
        role=MemberRole.OWNER,
        status=MemberStatus.ACTIVE,
    )
    return community


async def add_member(
    community: Community, user_id: int, role: MemberRole = MemberRole.MEMBER
) -> None:
    await CommunityMember.create(
        community_id=community.id, user_id=user_id, role=role, status=MemberStatus.ACTIVE
    )


async def make_post(author_id: int, community: Community | None = None, **fields: Any) -> Post:
    n = next(_sequence)
    values: dict[str, Any] = {
        "status": PostStatus.PUBLISHED,
        "published_at": datetime.now(UTC),
        "community_id": community.id if community else None,
    }
    return await Post.create(
        author_id=author_id, slug=f"moderated-post-{n}", title=f"Post {n}", **(values | fields)
    )


def target_id(row: Post | Comment | Review | Community | Product | Any) -> str:
    return gid(type(row).__name__, row.id)
