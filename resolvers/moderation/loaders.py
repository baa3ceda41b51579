"""The moderation domain's per-request loaders (see resolvers/loading.py)."""

from __future__ import annotations

from models.moderation import ModerationItem, ModerationLogEntry, Report
from resolvers.loading import by_id, grouped

item_by_id = by_id(ModerationItem)
# Every report of each item, newest first: the queue shows the latest reasons.
reports_by_item = grouped(Report, "item_id", order_by=("-id",))
# What moderators did to each item, newest first.
log_by_item = grouped(ModerationLogEntry, "item_id", order_by=("-id",))
