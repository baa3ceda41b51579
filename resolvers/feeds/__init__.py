"""Feeds: the trending feed of published posts ranked by time-decayed engagement (trending.py)."""

from __future__ import annotations

from resolvers.feeds.trending import refresh_trending, trending_feed

__all__ = ["refresh_trending", "trending_feed"]
