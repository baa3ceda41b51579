"""The events notifications record: notification.created with each new row, in the relay's
savepoint for its cause (so redelivery records none twice), notification.updated when a group
gains someone, and both relayed in the run that wrote them."""

from __future__ import annotations

from typing import Any

from models.accounts import Role
from models.events import Event
from models.notifications import Notification
from tests.comments.support import added, make_post
from tests.events.support import outbox
from tests.factories import MakeUser, SignedInUser, SignIn
from tests.notifications.support import redeliver_everything, relay
from tests.reactions.support import react, unreact
from tests.utils import GraphQLClient, gid


async def _person(sign_in: SignIn, make_user: MakeUser, handle: str) -> SignedInUser:
    user = await make_user(role=Role.CREATOR, handle=handle)
    return await sign_in(user=user)


def _notifications(events: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, Any]]:
    return [
        (kind, payload["notification"]) for kind, payload in events if "notification" in payload
    ]


async def test_each_new_notification_records_notification_created_once(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana, bob = [await _person(sign_in, make_user, h) for h in ("ana", "bob")]
    post_id = gid("Post", (await make_post(ana.user.id)).id)
    await added(gql, bob.token, post_id, "Nice one")
    await relay(services)  # it asserts every event, the consumers' own included, was relayed

    [row] = await Notification.all()
    assert _notifications(await outbox()) == [
        (
            "notification.created",
            {
                "id": gid("Notification", row.id),
                "kind": "COMMENT",
                "recipient": {"id": gid("User", ana.user.id)},
                "actorCount": 1,
            },
        )
    ]
    created = await Event.get(type="notification.created")
    assert (created.version, created.payload["version"]) == (1, 1)

    await redeliver_everything()  # the cause again: no second row, no second event
    assert len(_notifications(await outbox())) == 1


async def test_a_group_gaining_someone_records_notification_updated(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana, bob, cara = [await _person(sign_in, make_user, h) for h in ("ana", "bob", "cara")]
    post_id = gid("Post", (await make_post(ana.user.id)).id)
    await react(gql, bob.token, post_id, "LIKE")
    await relay(services)
    await unreact(gql, bob.token, post_id, "LIKE")
    await react(gql, bob.token, post_id, "LIKE")  # bob again: nobody new, nothing told
    await react(gql, cara.token, post_id, "LIKE")
    await relay(services)

    [group] = await Notification.all()
    ref = {"id": gid("Notification", group.id), "kind": "LIKE"}
    recipient = {"recipient": {"id": gid("User", ana.user.id)}}
    assert _notifications(await outbox()) == [
        ("notification.created", {**ref, **recipient, "actorCount": 1}),
        ("notification.updated", {**ref, **recipient, "actorCount": 2}),
    ]
