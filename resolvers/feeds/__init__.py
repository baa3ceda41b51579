"""Feeds: the home feed of what a user follows, topic feeds, and the trending feed.

Home feeds are capped Redis sorted sets of post ids per user (Mastodon's timelines), filled by
the worker from each relayed `post.published` event (fan-out on write, fanout.py), except for
authors and topics with more than FEED_FANOUT_MAX_FOLLOWERS followers, which are merged in when read
(Twitter's merge on read). A missing feed is rebuilt from PostgreSQL, which also serves every
read while Redis is unreachable (sources.py). Pages are hydrated through the request's loaders
and re-checked (reading.py). Redis keys: store.py. Trending: snapshots of a ranking by
time-decayed engagement (trending.py).
"""

from __future__ import annotations

from resolvers.feeds.fanout import (
    fan_out_post,
    forget_home_feed,
    register_consumers,
)
from resolvers.feeds.reading import home_feed, topic_feed
from resolvers.feeds.trending import refresh_trending, trending_feed

__all__ = [
    "fan_out_post",
    "forget_home_feed",
    "home_feed",
    "refresh_trending",
    "register_consumers",
    "topic_feed",
    "trending_feed",
]
