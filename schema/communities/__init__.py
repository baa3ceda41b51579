"""GraphQL shape of communities: Community, CommunityMember, their queries and mutations.

Post.community and the `communityId` of createPost/updatePost live in schema/content, which
imports this package lazily (it imports schema.content).
"""

from __future__ import annotations

from schema.communities.mutations import CommunityMutation
from schema.communities.queries import CommunityQuery
from schema.communities.types import (
    Community,
    CommunityMember,
    CommunitySort,
    CommunityVisibility,
    JoinPolicy,
    MemberRole,
    MemberStatus,
    PinnedPost,
)

__all__ = [
    "Community",
    "CommunityMember",
    "CommunityMutation",
    "CommunityQuery",
    "CommunitySort",
    "CommunityVisibility",
    "JoinPolicy",
    "MemberRole",
    "MemberStatus",
    "PinnedPost",
]
