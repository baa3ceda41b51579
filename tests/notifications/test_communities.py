"""Community invites and approved join requests: recorded with the change, told to the person
invited or admitted by the worker, once however often the event is relayed or the mutation
repeated, with the community as the target (a private one shows to its invitee)."""

from __future__ import annotations

import asyncio
from typing import Any

from models.notifications import Notification
from tests.communities.support import (
    APPROVE,
    INVITE,
    JOIN,
    LEAVE,
    act,
    create_community,
)
from tests.events.support import outbox
from tests.factories import MakeUser, SignedInUser, SignIn
from tests.notifications.support import inbox, redeliver_everything, relay, unread_count
from tests.utils import GraphQLClient, gid

COMMUNITY_TARGET = """
query { viewer { notifications(first: 5) { edges { node { kind actors { handle } message
  target { __typename ... on Community { slug name visibility } } } } } } }
"""


async def _person(sign_in: SignIn, make_user: MakeUser, handle: str) -> SignedInUser:
    user = await make_user(handle=handle, display_name=handle.title())
    return await sign_in(user=user)


async def _targets(gql: GraphQLClient, token: str) -> list[dict[str, Any]]:
    data = await gql.data(COMMUNITY_TARGET, token=token)
    return [edge["node"] for edge in data["viewer"]["notifications"]["edges"]]


async def test_an_invite_tells_the_invitee_once_and_shows_them_the_private_community(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    tom, kim = await _person(sign_in, make_user, "tom"), await _person(sign_in, make_user, "kim")
    crew = await create_community(
        gql, tom.token, "Ridge Crew", visibility="PRIVATE", joinPolicy="INVITE"
    )
    kim_id = gid("User", kim.user.id)

    first = await act(gql, INVITE, tom.token, c=crew["id"], u=kim_id)
    again = await act(gql, INVITE, tom.token, c=crew["id"], u=kim_id)
    await relay(services)
    await redeliver_everything()  # a relay that died before marking them relayed

    assert first["__typename"] == again["__typename"] == "InviteToCommunitySuccess"
    [(kind, payload)] = [event for event in await outbox() if event[0].startswith("community.")]
    assert kind == "community.invited"
    assert payload == {
        "version": 1,
        "community": {"id": crew["id"], "slug": "ridge-crew", "visibility": "PRIVATE"},
        "invitee": {"id": kim_id},
        "inviter": {"id": gid("User", tom.user.id)},
    }
    [invite] = await _targets(gql, kim.token)
    assert invite == {
        "kind": "COMMUNITY_INVITE",
        "actors": [{"handle": "tom"}],
        "message": "Tom invited you to join Ridge Crew.",
        "target": {
            "__typename": "Community",
            "slug": "ridge-crew",
            "name": "Ridge Crew",
            "visibility": "PRIVATE",
        },
    }
    assert await unread_count(gql, kim.token) == 1
    assert await inbox(gql, tom.token) == []

    # Declined: the private community is no longer hers to see, and the target says so.
    assert (await act(gql, LEAVE, kim.token, c=crew["id"]))["__typename"] == (
        "LeaveCommunitySuccess"
    )
    [declined] = await _targets(gql, kim.token)
    assert declined["target"] is None
    assert declined["message"] == "Tom invited you to join a community."


async def test_an_approved_request_tells_the_requester(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana, bob = await _person(sign_in, make_user, "ana"), await _person(sign_in, make_user, "bob")
    cara = await _person(sign_in, make_user, "cara")
    club = await create_community(gql, ana.token, "Matcha Club", joinPolicy="APPROVAL")
    for asker in (bob, cara):
        await act(gql, JOIN, asker.token, c=club["id"])

    approved = await act(gql, APPROVE, ana.token, c=club["id"], u=gid("User", bob.user.id))
    # Inviting someone who asked already approves them instead: an approval, not an invite.
    invited = await act(gql, INVITE, ana.token, c=club["id"], u=gid("User", cara.user.id))
    await relay(services)

    assert approved["__typename"] == "ApproveJoinRequestSuccess"
    assert invited["__typename"] == "InviteToCommunitySuccess"
    assert [kind for kind, _ in await outbox() if kind.startswith("community.")] == [
        "community.member_approved",
        "community.member_approved",
    ]
    for person in (bob, cara):
        [told] = await _targets(gql, person.token)
        assert told == {
            "kind": "COMMUNITY_APPROVED",
            "actors": [{"handle": "ana"}],
            "message": "Your request to join Matcha Club was approved.",
            "target": {
                "__typename": "Community",
                "slug": "matcha-club",
                "name": "Matcha Club",
                "visibility": "PUBLIC",
            },
        }
    assert await inbox(gql, ana.token) == []


async def test_concurrent_approvals_and_invites_tell_once(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    owner = await _person(sign_in, make_user, "owner")
    asker, guest = await sign_in(), await sign_in()
    club = await create_community(gql, owner.token, "Busy Club", joinPolicy="APPROVAL")
    await act(gql, JOIN, asker.token, c=club["id"])

    approvals = await asyncio.gather(
        *(
            act(gql, APPROVE, owner.token, c=club["id"], u=gid("User", asker.user.id))
            for _ in range(10)
        )
    )
    invites = await asyncio.gather(
        *(
            act(gql, INVITE, owner.token, c=club["id"], u=gid("User", guest.user.id))
            for _ in range(10)
        )
    )
    await relay(services)

    # One approval changed the row; the others found no pending request.
    assert sorted(reply["__typename"] for reply in approvals) == [
        "ApproveJoinRequestSuccess",
        *["NotFoundError"] * 9,
    ]
    assert {reply["__typename"] for reply in invites} == {"InviteToCommunitySuccess"}
    kinds = [kind for kind, _ in await outbox() if kind.startswith("community.")]
    assert sorted(kinds) == ["community.invited", "community.member_approved"]
    assert await Notification.filter(recipient_id=asker.user.id).count() == 1
    assert await Notification.filter(recipient_id=guest.user.id).count() == 1


async def test_a_refused_invite_records_nothing(
    gql: GraphQLClient, services: Any, sign_in: SignIn
) -> None:
    owner, member, stranger = await sign_in(), await sign_in(), await sign_in()
    club = await create_community(gql, owner.token, "Open Club")
    await act(gql, JOIN, member.token, c=club["id"])

    already = await act(gql, INVITE, owner.token, c=club["id"], u=gid("User", member.user.id))
    not_staff = await act(gql, INVITE, member.token, c=club["id"], u=gid("User", stranger.user.id))

    assert already["__typename"] == "ConflictError"
    assert not_staff["__typename"] == "PermissionDeniedError"
    assert [kind for kind, _ in await outbox() if kind.startswith("community.")] == []
