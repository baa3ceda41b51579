"""GraphQL shape of feeds: `homeFeed` and `topicFeed`, connections of posts.

Feeds add no types: their items are `Post`s, resolved like any post (author, topics, cover,
media, tagged products through the request's loaders). Cursors hold (published time, id).
"""

from __future__ import annotations

from schema.feeds.queries import FeedQuery

__all__ = ["FeedQuery"]
