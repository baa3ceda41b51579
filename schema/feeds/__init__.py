"""GraphQL shape of feeds: the trending feed."""

from __future__ import annotations

from schema.feeds.trending import TrendingQuery

__all__ = ["TrendingQuery"]
