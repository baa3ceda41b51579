"""Deliveries to a real HTTP receiver: signed, retried with backoff, disabled after failures,
redelivered, never held up by another app's slow receiver, and never made for a rollback."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from tortoise.transactions import in_transaction

from models.accounts import Role
from models.catalog import ProductStatus
from models.events import Event
from models.notifications import Notification, NotificationKind
from models.webhooks import WebhookDelivery
from resolvers.events import global_id, record_event
from resolvers.principal import Scope
from resolvers.webhooks import WebhookPolicy, signature
from settings import Settings
from tests.carts.shop import Shop, make_cart, variant_of
from tests.factories import MakeApp, MakeMerchant, MakeProduct, SignIn
from tests.notifications.support import inbox
from tests.utils import GraphQLClient, gid
from tests.webhooks.conftest import StartWorker
from tests.webhooks.support import (
    FAST,
    REDELIVER,
    Receiver,
    deliveries,
    receiving,
    settled,
    subscribe,
    verify,
    webhook_app,
)

ROOT = Path(__file__).resolve().parents[2]
UPDATE_PRODUCT = """
mutation($id: ID!, $title: String!) { updateProduct(productId: $id, title: $title) {
  __typename } }
"""
ENABLE = """
mutation($id: ID!) { enableWebhookSubscription(subscriptionId: $id) {
  __typename ... on EnableWebhookSubscriptionSuccess { subscription { active consecutiveFailures } }
} }
"""


async def _merchant_world(
    sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct, make_app: MakeApp
) -> tuple[Any, Any, Any]:
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    product = await make_product(merchant=merchant)
    app = await webhook_app(make_app, seller.user)
    return seller, product, app


async def _rename(gql: GraphQLClient, token: str, product: Any, title: str) -> None:
    done = await gql.data(
        UPDATE_PRODUCT, {"id": gid("Product", product.id), "title": title}, token=token
    )
    assert done["updateProduct"]["__typename"] == "ProductSuccess", done


def _examples() -> dict[str, str]:
    text = (ROOT / "docs" / "webhooks.md").read_text()
    found = re.findall(r"<!-- verify-example: (\w+) -->\n```\w+\n(.*?)```", text, re.S)
    return dict(found)


def _run_python_example(secret: str, headers: dict[str, str], body: bytes) -> bool:
    namespace: dict[str, Any] = {}
    exec(_examples()["python"], namespace)  # the documented code, as written
    return bool(namespace["verify_agora_webhook"](secret, headers, body))


def _run_javascript_example(
    tmp: Path, secret: str, cases: list[tuple[dict[str, str], bytes]]
) -> list[bool]:
    (tmp / "verify.mjs").write_text(_examples()["javascript"])
    (tmp / "run.mjs").write_text(
        'import { verifyAgoraWebhook } from "./verify.mjs";\n'
        'import fs from "node:fs";\n'
        'const input = JSON.parse(fs.readFileSync(0, "utf8"));\n'
        "console.log(JSON.stringify(input.cases.map(([headers, body]) =>\n"
        '  verifyAgoraWebhook(input.secret, headers, Buffer.from(body, "base64")))));\n'
    )
    payload = {
        "secret": secret,
        "cases": [[headers, base64.b64encode(body).decode()] for headers, body in cases],
    }
    ran = subprocess.run(
        ["node", str(tmp / "run.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: list[bool] = json.loads(ran.stdout)
    return result


async def test_a_product_change_reaches_the_receiver_signed_and_both_documented_checks_verify_it(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    start_worker: StartWorker,
    tmp_path: Path,
) -> None:
    seller, product, app = await _merchant_world(sign_in, make_merchant, make_product, make_app)
    async with receiving(Receiver()) as receiver:
        subscription, secret = await subscribe(
            gql, seller.token, app, receiver.url, ["product.updated"]
        )
        await start_worker()
        await _rename(gql, seller.token, product, "Green tea, first flush")

        [request] = await receiver.wait_for(1)

    event = await Event.get(type="product.updated")
    delivery = await WebhookDelivery.get(event_id=event.id)
    body = orjson.loads(request.body)
    assert body["id"] == event.id
    assert body["type"] == "product.updated"
    assert body["payload"]["product"]["id"] == gid("Product", product.id)
    assert body["payload"]["fields"] == ["title"]
    headers = request.headers
    assert headers["agora-webhook-id"] == gid("WebhookDelivery", delivery.id)
    assert headers["agora-webhook-event"] == "product.updated"
    assert headers["agora-webhook-attempt"] == "1"
    assert headers["content-type"] == "application/json"
    expected = hmac_hex(secret, headers["agora-webhook-timestamp"], request.body)
    assert headers["agora-webhook-signature"] == f"v1={expected}"
    assert verify(secret, headers, request.body)

    # The documented checks, run as written, accept it and refuse a forgery and a replay.
    tampered = request.body.replace(b"ACTIVE", b"ARCHIVED")
    assert tampered != request.body
    stale = dict(
        headers, **{"agora-webhook-timestamp": str(int(headers["agora-webhook-timestamp"]) - 301)}
    )
    stale["agora-webhook-signature"] = signature(
        secret, int(stale["agora-webhook-timestamp"]), request.body
    )
    wrong_secret = "whsec_" + "x" * 43
    assert _run_python_example(secret, headers, request.body)
    assert not _run_python_example(secret, headers, tampered)
    assert not _run_python_example(secret, stale, request.body)
    assert not _run_python_example(wrong_secret, headers, request.body)
    cases = [(headers, request.body), (headers, tampered), (stale, request.body)]
    assert _run_javascript_example(tmp_path, secret, cases) == [True, False, False]
    assert _run_javascript_example(tmp_path, wrong_secret, cases[:1]) == [False]

    seen = await settled(
        gql,
        seller.token,
        subscription,
        lambda s: s["deliveries"]["edges"][0]["node"]["status"] == "SUCCEEDED",
    )
    [edge] = seen["deliveries"]["edges"]
    node = edge["node"]
    assert (node["attemptCount"], node["lastResponseCode"], node["lastError"]) == (1, 200, "")
    assert node["body"].encode() == request.body
    [attempt] = node["attempts"]
    assert attempt["succeeded"]
    assert attempt["responseCode"] == 200
    assert attempt["nextAttemptAt"] is None


def hmac_hex(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def test_the_backoff_ceiling_doubles_from_the_base_up_to_the_cap_and_full_jitter_spans_it() -> None:
    policy = WebhookPolicy(
        timeout_seconds=1,
        max_attempts=8,
        retry_base_seconds=30,
        retry_max_seconds=600,
        disable_after=5,
        secret_key="k" * 32,
    )
    assert [policy.ceiling(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 600, 600]
    assert [policy.retry_delay(n, lambda: 1.0) for n in (1, 2, 3)] == [30, 60, 120]
    assert policy.retry_delay(4, lambda: 0.0) == 0
    assert policy.retry_delay(4, lambda: 0.5) == 120


async def test_a_failing_receiver_is_retried_on_the_backoff_schedule_until_the_delivery_fails(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    start_worker: StartWorker,
) -> None:
    seller, product, app = await _merchant_world(sign_in, make_merchant, make_product, make_app)
    async with receiving(Receiver(status=500)) as receiver:
        subscription, secret = await subscribe(
            gql, seller.token, app, receiver.url, ["product.updated"]
        )
        await start_worker(webhook_disable_after_failures=5)
        await _rename(gql, seller.token, product, "Oolong")
        seen = await settled(
            gql,
            seller.token,
            subscription,
            lambda s: (
                bool(s["deliveries"]["edges"])
                and s["deliveries"]["edges"][0]["node"]["status"] == "FAILED"
            ),
        )
        requests = receiver.requests

    node = seen["deliveries"]["edges"][0]["node"]
    attempts = node["attempts"]
    assert FAST["webhook_max_attempts"] == 5
    assert [a["number"] for a in attempts] == [1, 2, 3, 4, 5]
    assert [r.headers["agora-webhook-attempt"] for r in requests] == ["1", "2", "3", "4", "5"]
    assert all(verify(secret, r.headers, r.body) for r in requests)  # each signed anew
    assert len({r.headers["agora-webhook-id"] for r in requests}) == 1
    assert all(a["responseCode"] == 500 and not a["succeeded"] for a in attempts)
    assert all(a["error"] == "The receiver answered 500." for a in attempts)
    assert (node["attemptCount"], node["lastResponseCode"]) == (5, 500)
    assert attempts[-1]["nextAttemptAt"] is None  # the last: nothing more scheduled
    policy = WebhookPolicy.of(Settings().replace(**FAST))
    for n, (done, following) in enumerate(itertools.pairwise(attempts), start=1):
        finished = _at(done["startedAt"]) + done["durationMs"] / 1000
        scheduled = _at(done["nextAttemptAt"])
        # Full jitter: anywhere from 0 to the doubling ceiling. The slack is the time between
        # the answer and the scheduling (one SQL round trip), far below any ceiling.
        assert -0.01 <= scheduled - finished <= policy.ceiling(n) + 0.25, (n, done)
        # The next attempt never goes before its time.
        assert _at(following["startedAt"]) >= scheduled, (n, done, following)
    assert [policy.ceiling(n) for n in range(1, 5)] == [0.2, 0.4, 0.8, 1.0]
    assert seen["active"]
    assert seen["consecutiveFailures"] == 1


def _at(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


async def test_a_permanently_failing_endpoint_is_disabled_its_owner_told_and_redelivery_refused(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    start_worker: StartWorker,
) -> None:
    seller, product, app = await _merchant_world(sign_in, make_merchant, make_product, make_app)
    async with receiving(Receiver(status=500)) as failing, receiving(Receiver()) as healthy:
        broken, _ = await subscribe(gql, seller.token, app, failing.url, ["product.updated"])
        watcher, secret = await subscribe(gql, seller.token, app, healthy.url, ["webhook.disabled"])
        await start_worker()  # disabled after 2 failed deliveries (FAST)
        await _rename(gql, seller.token, product, "Sencha")
        await _rename(gql, seller.token, product, "Gyokuro")

        [told] = await healthy.wait_for(1)
        seen = await settled(gql, seller.token, broken, lambda s: not s["active"])

        assert len(failing.requests) == 10  # two deliveries, 5 attempts each
        await _rename(gql, seller.token, product, "Hojicha")  # disabled: no delivery made
        await settled(
            gql,
            seller.token,
            watcher,
            lambda s: s["consecutiveFailures"] == 0 and s["deliveries"]["totalCount"] == 1,
        )
        await _until(lambda: Event.filter(type="product.updated", relayed_at=None).count(), 0)
        assert len(failing.requests) == 10

    assert seen["disabledReason"] == "Disabled after 2 failed deliveries in a row."
    assert seen["consecutiveFailures"] == 2
    assert [e["node"]["status"] for e in seen["deliveries"]["edges"]] == ["FAILED", "FAILED"]
    assert await WebhookDelivery.filter(event_type="product.updated").count() == 2

    message = orjson.loads(told.body)
    assert verify(secret, told.headers, told.body)
    assert message["type"] == "webhook.disabled"
    assert message["payload"] == {
        "version": 1,
        "subscription": {"id": broken},
        "app": {"id": global_id("App", app.id)},
        "url": failing.url,
        "reason": "Disabled after 2 failed deliveries in a row.",
    }
    [note] = await inbox(gql, seller.token)
    assert note["kind"] == "WEBHOOK_DISABLED"
    assert note["message"] == (
        "A webhook subscription of your app was disabled after repeated failures."
    )
    assert await Notification.filter(kind=NotificationKind.WEBHOOK_DISABLED).count() == 1

    # Redelivery waits for the subscription to be enabled again.
    failed = seen["deliveries"]["edges"][0]["node"]["id"]
    refused = await gql.data(REDELIVER, {"id": failed}, token=seller.token)
    assert refused["redeliverWebhook"]["__typename"] == "ConflictError"
    enabled = await gql.data(ENABLE, {"id": broken}, token=seller.token)
    assert enabled["enableWebhookSubscription"]["subscription"] == {
        "active": True,
        "consecutiveFailures": 0,
    }


async def _until(count: Any, wanted: int) -> None:
    for _ in range(600):
        if await count() == wanted:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("never reached")


async def test_redelivery_sends_the_same_body_and_id_again_with_a_fresh_signature(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    start_worker: StartWorker,
) -> None:
    seller, product, app = await _merchant_world(sign_in, make_merchant, make_product, make_app)
    async with receiving(Receiver()) as receiver:
        subscription, secret = await subscribe(
            gql, seller.token, app, receiver.url, ["product.updated"]
        )
        await start_worker()
        await _rename(gql, seller.token, product, "Matcha")
        [first] = await receiver.wait_for(1)
        seen = await settled(
            gql,
            seller.token,
            subscription,
            lambda s: s["deliveries"]["edges"][0]["node"]["status"] == "SUCCEEDED",
        )
        delivery = seen["deliveries"]["edges"][0]["node"]["id"]

        again = await gql.data(REDELIVER, {"id": delivery}, token=seller.token)
        assert again["redeliverWebhook"]["delivery"] == {"id": delivery, "status": "PENDING"}
        [_, second] = await receiver.wait_for(2)
        seen = await settled(
            gql,
            seller.token,
            subscription,
            lambda s: s["deliveries"]["edges"][0]["node"]["status"] == "SUCCEEDED",
        )

    assert second.body == first.body
    assert second.headers["agora-webhook-id"] == first.headers["agora-webhook-id"] == delivery
    assert second.headers["agora-webhook-attempt"] == "2"
    assert verify(secret, second.headers, second.body)
    node = seen["deliveries"]["edges"][0]["node"]
    assert node["attemptCount"] == 2
    assert [a["number"] for a in node["attempts"]] == [1, 2]


async def test_a_slow_receiver_does_not_delay_another_apps_delivery(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    start_worker: StartWorker,
) -> None:
    seller, product, app = await _merchant_world(sign_in, make_merchant, make_product, make_app)
    other_app = await webhook_app(make_app, seller.user)
    async with (
        receiving(Receiver(hold=asyncio.Event())) as slow,
        receiving(Receiver()) as fast,
    ):
        await subscribe(gql, seller.token, app, slow.url, ["product.updated"])
        await subscribe(gql, seller.token, other_app, fast.url, ["product.updated"])
        # The slow receiver answers only once the fast one was served; were deliveries sent
        # one after another, the fast one would wait for the slow one's 30 s timeout, past
        # the 20 s this test waits.
        await start_worker(webhook_timeout_seconds=30.0)
        await _rename(gql, seller.token, product, "Genmaicha")

        await slow.wait_for(1, seconds=20)
        [served] = await fast.wait_for(1, seconds=20)
        assert slow.hold is not None
        assert not slow.hold.is_set()
        assert served.headers["agora-webhook-event"] == "product.updated"


async def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    start_worker: StartWorker,
) -> None:
    seller, product, app = await _merchant_world(sign_in, make_merchant, make_product, make_app)
    async with receiving(Receiver(hold=asyncio.Event())) as slow:
        subscription, _ = await subscribe(gql, seller.token, app, slow.url, ["product.updated"])
        await start_worker(webhook_timeout_seconds=0.5)
        await _rename(gql, seller.token, product, "Kukicha")
        seen = await settled(
            gql,
            seller.token,
            subscription,
            lambda s: (
                bool(s["deliveries"]["edges"])
                and bool(s["deliveries"]["edges"][0]["node"]["attempts"])
            ),
        )
    first = seen["deliveries"]["edges"][0]["node"]["attempts"][0]
    assert first["responseCode"] is None
    assert first["error"] == "No answer within 0.5 s."


async def test_a_rolled_back_change_emits_no_event_and_no_delivery(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    start_worker: StartWorker,
) -> None:
    seller, product, app = await _merchant_world(sign_in, make_merchant, make_product, make_app)

    class Boom(Exception):
        pass

    async with receiving(Receiver()) as receiver:
        await subscribe(gql, seller.token, app, receiver.url, ["product.updated"])

        async def change_then_fail() -> None:
            async with in_transaction():
                await record_event(
                    "product.updated",
                    {"product": {"id": gid("Product", product.id)}, "fields": ["title"]},
                )
                raise Boom

        with pytest.raises(Boom):
            await change_then_fail()
        await start_worker()
        await _rename(gql, seller.token, product, "Committed")  # the one that counts
        [request] = await receiver.wait_for(1)
        await _until(lambda: Event.filter(relayed_at=None).count(), 0)

    assert await Event.all().count() == 1
    assert await WebhookDelivery.all().count() == 1
    assert orjson.loads(request.body)["id"] == (await Event.get()).id
    assert len(receiver.requests) == 1


async def test_an_app_receives_only_the_events_it_could_read(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    start_worker: StartWorker,
    shop: Shop,
) -> None:
    seller, product, sellers_app = await _merchant_world(
        sign_in, make_merchant, make_product, make_app
    )
    draft = await make_product(
        merchant=await make_merchant(owner=seller.user), status=ProductStatus.DRAFT
    )
    buyer = await sign_in(role=Role.CREATOR)  # a creator may hold webhooks
    buyers_app = await webhook_app(make_app, buyer.user)
    no_orders = await webhook_app(make_app, buyer.user, Scope.READ_ORDERS)
    rival = await sign_in(role=Role.MERCHANT)
    rivals_app = await webhook_app(make_app, rival.user)
    everything = ["order.created", "order.paid", "product.updated"]
    async with receiving(Receiver()) as receiver:
        subscriptions = {
            name: (await subscribe(gql, token, app, receiver.url, everything))[0]
            for name, token, app in [
                ("seller", seller.token, sellers_app),
                ("buyer", buyer.token, buyers_app),
                ("buyer without read:orders", buyer.token, no_orders),
                ("another merchant", rival.token, rivals_app),
            ]
        }
        await start_worker()
        placed = await shop.checkout(
            buyer.token, await make_cart(buyer.user, [(await variant_of(product), 1)])
        )
        assert placed["__typename"] == "CheckoutSuccess", placed
        await _rename(gql, seller.token, draft, "Secret blend")  # a draft: its merchant only
        await _until(lambda: Event.filter(relayed_at=None).count(), 0)

    received: dict[str, list[str]] = {}
    for name, subscription in subscriptions.items():
        token = {"seller": seller.token, "another merchant": rival.token}.get(name, buyer.token)
        seen = await deliveries(gql, token, subscription)
        received[name] = sorted(e["node"]["eventType"] for e in seen["deliveries"]["edges"])
    assert received == {
        "seller": ["order.created", "order.paid", "product.updated"],
        "buyer": ["order.created", "order.paid"],
        "buyer without read:orders": [],
        "another merchant": [],
    }
