"""GraphQL shape of notifications: the Notification node, its kinds and targets, and the
mark-read mutations. The viewer's list and unread count are fields of User
(`viewer { notifications unreadNotificationCount }`), calling `schema.notifications.fields`
lazily, as this package imports schema.accounts."""

from __future__ import annotations

from schema.notifications.mutations import NotificationMutation
from schema.notifications.types import Notification, NotificationKind, NotificationTarget

__all__ = ["Notification", "NotificationKind", "NotificationMutation", "NotificationTarget"]
