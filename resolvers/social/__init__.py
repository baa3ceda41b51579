"""Social: follows of users and topics, and tracked share links.

Follows are rows of one `follows` table keyed by (kind, target id); counts are counted from
them by grouped loaders, so they stay exact under any concurrency (models/social.py says why
one table). Share links carry a random code; clicks go through a Redis counter that the worker
flushes into PostgreSQL exactly once (clicks.py); orders and GMV come from order lines with
the code (resolvers/orders/attribution.py).
"""

from __future__ import annotations

from resolvers.social.access import (
    FollowTarget,
    ShareTarget,
    share_targets,
    visible_share_links,
)
from resolvers.social.clicks import flush_share_clicks
from resolvers.social.demo import seed_social_demo
from resolvers.social.follows import follow, followers, following, unfollow
from resolvers.social.share_links import (
    create_share_link,
    resolve_share_link,
    share_url,
    storefront_url,
    user_share_links,
)

__all__ = [
    "FollowTarget",
    "ShareTarget",
    "create_share_link",
    "flush_share_clicks",
    "follow",
    "followers",
    "following",
    "resolve_share_link",
    "seed_social_demo",
    "share_targets",
    "share_url",
    "storefront_url",
    "unfollow",
    "user_share_links",
    "visible_share_links",
]
