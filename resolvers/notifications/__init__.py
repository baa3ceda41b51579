"""Notifications: written by event consumers (consumers.py), read by their recipient
(reading.py). models/notifications.py explains the delivery guard and grouping."""

from resolvers.notifications.consumers import CONSUMERS, register_consumers
from resolvers.notifications.demo import seed_notifications_demo
from resolvers.notifications.reading import (
    MAX_MARK,
    mark_all_read,
    mark_read,
    notifications_page,
    unread_count,
    visible_notifications,
)

__all__ = [
    "CONSUMERS",
    "MAX_MARK",
    "mark_all_read",
    "mark_read",
    "notifications_page",
    "register_consumers",
    "seed_notifications_demo",
    "unread_count",
    "visible_notifications",
]
