"""GraphQL shape of feeds: `homeFeed`, `topicFeed` and `trendingFeed`, connections of posts.

Feeds add no types: their items are `Post`s, resolved like any post (author, topics, cover,
media, tagged products through the request's loaders). Home and topic cursors hold (published
time, id); trending cursors (snapshot, position).
"""

from __future__ import annotations

from schema.feeds.queries import FeedQuery
from schema.feeds.trending import TrendingQuery

__all__ = ["FeedQuery", "TrendingQuery"]
