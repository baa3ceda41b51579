"""Communities (社群): join policies, member roles, mutes and bans with an end, posts into a
community, pins and announcements, and private communities no outsider sees.

One membership row per (community, user) carries every state (a request, an invite, a member,
a ban), so each change is one conditional statement and counts are counted from the rows
(models/communities.py). Visibility: access.py, which the content domain's post rules call, so
a private community's posts stay hidden on every path that lists or loads posts.
"""

from __future__ import annotations

from resolvers.communities.access import (
    hidden_post_ids,
    is_banned,
    is_muted,
    moderated_communities_q,
    moderated_community_ids,
    readable_posts_q,
    require_voice,
    viewer_membership,
    visible_communities,
    visible_memberships,
)
from resolvers.communities.demo import seed_communities_demo
from resolvers.communities.managing import CommunityChanges, create_community, update_community
from resolvers.communities.membership import (
    approve_join_request,
    invite_to_community,
    join_community,
    leave_community,
    reject_join_request,
    set_member_role,
)
from resolvers.communities.moderation import (
    ban_member,
    mute_member,
    pin_post,
    unban_member,
    unmute_member,
    unpin_post,
)
from resolvers.communities.reading import (
    CommunityOrder,
    community_members,
    community_posts,
    community_with_slug,
    list_communities,
    pinned_posts,
    require_posting_rights,
)

__all__ = [
    "CommunityChanges",
    "CommunityOrder",
    "approve_join_request",
    "ban_member",
    "community_members",
    "community_posts",
    "community_with_slug",
    "create_community",
    "hidden_post_ids",
    "invite_to_community",
    "is_banned",
    "is_muted",
    "join_community",
    "leave_community",
    "list_communities",
    "moderated_communities_q",
    "moderated_community_ids",
    "mute_member",
    "pin_post",
    "pinned_posts",
    "readable_posts_q",
    "reject_join_request",
    "require_posting_rights",
    "require_voice",
    "seed_communities_demo",
    "set_member_role",
    "unban_member",
    "unmute_member",
    "unpin_post",
    "update_community",
    "viewer_membership",
    "visible_communities",
    "visible_memberships",
]
