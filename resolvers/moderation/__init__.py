"""Moderation: reports of reviews, posts, tutorials, comments and communities, one queue of
reported targets (most reported first), and one flow (HIDE, RESTORE, DISMISS) for all of them.

Site staff moderate everything; a community's moderators the posts in it and the comments on
them (access.py). Hiding is kept by each domain on its own rows, so its visibility rule hides
the target on every path (node, lists, feeds, counts) without asking this domain.
"""

from __future__ import annotations

from resolvers.moderation.access import visible_moderation_items
from resolvers.moderation.acting import moderate
from resolvers.moderation.demo import seed_moderation_demo
from resolvers.moderation.errors import AlreadyReported
from resolvers.moderation.queue import moderation_queue
from resolvers.moderation.reporting import REASON_MAX, report
from resolvers.moderation.targets import Target, load_targets

__all__ = [
    "REASON_MAX",
    "AlreadyReported",
    "Target",
    "load_targets",
    "moderate",
    "moderation_queue",
    "report",
    "seed_moderation_demo",
    "visible_moderation_items",
]
