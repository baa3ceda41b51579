"""Driving notifications: the relay job, the viewer's page, and the mark-read mutations."""

from __future__ import annotations

from typing import Any

from models.events import Event
from resolvers.events import DomainEvent
from resolvers.notifications import CONSUMERS
from tests.utils import GraphQLClient, run_job

TARGET = """
  __typename
  ... on Post { slug }
  ... on Tutorial { slug }
  ... on Comment { id body }
  ... on User { handle }
  ... on Order { id status }
"""
NODE = f"""
  id kind actorCount read message createdAt updatedAt
  actors {{ handle }}
  target {{ {TARGET} }}
"""
PAGE = f"""
query($n: Int = 20, $unread: Boolean = false) {{ viewer {{
  unreadNotificationCount
  notifications(first: $n, unreadOnly: $unread) {{ totalCount edges {{ node {{ {NODE} }} }} }}
}} }}
"""
MARK = f"""
mutation($ids: [ID!]!) {{ markNotificationsRead(ids: $ids) {{
  __typename
  ... on MarkNotificationsReadSuccess {{ unreadCount notifications {{ {NODE} }} }}
  ... on ValidationError {{ field message }} }} }}
"""
MARK_ALL = """
mutation { markAllNotificationsRead {
  __typename ... on MarkAllNotificationsReadSuccess { marked } } }
"""


async def relay(services: Any) -> None:
    """Run the worker's relay job, as the cron does: the consumers write notifications."""
    job = await run_job(services.queue, "relay_events")
    assert job.status == "complete", job.error
    assert await Event.filter(relayed_at=None).count() == 0


async def inbox(gql: GraphQLClient, token: str, *, unread: bool = False) -> list[dict[str, Any]]:
    """The viewer's notifications, newest first."""
    data = await gql.data(PAGE, {"unread": unread}, token=token)
    return [edge["node"] for edge in data["viewer"]["notifications"]["edges"]]


async def unread_count(gql: GraphQLClient, token: str) -> int:
    data = await gql.data(PAGE, {"n": 1}, token=token)
    count: int = data["viewer"]["unreadNotificationCount"]
    return count


async def redeliver_everything() -> None:
    """Hand every recorded event to the notification consumers again, as a relay that died
    before marking them relayed would."""
    for row in await Event.all().order_by("id"):
        event = DomainEvent(row.id, row.type, row.version, dict(row.payload), row.created_at)
        for pattern, handler in CONSUMERS:
            if pattern == row.type:
                await handler(event)
