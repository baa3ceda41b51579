"""An event committed just before the worker is killed is delivered once it runs again.

The worker is `python main.py worker`, a real process on the test's database and Redis. It is
frozen (SIGSTOP) so that it cannot relay the event committed next, then killed (SIGKILL: no
shutdown, no cleanup), and a new one is started.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from models.accounts import Role
from models.events import Event
from models.webhooks import WebhookDelivery, WebhookDeliveryStatus
from settings import Settings
from tests.factories import MakeApp, MakeMerchant, MakeProduct, SignIn
from tests.utils import GraphQLClient, gid
from tests.webhooks.support import Receiver, receiving, subscribe, verify, webhook_app

ROOT = Path(__file__).resolve().parents[2]
RENAME = """
mutation($id: ID!, $title: String!) { updateProduct(productId: $id, title: $title) {
  __typename } }
"""


@contextmanager
def worker_process(settings: Settings, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`python main.py worker` with the test's services and quick webhook retries."""
    known = {field.name.upper() for field in dataclasses.fields(Settings)}
    env = {name: value for name, value in os.environ.items() if name not in known}
    env.update(
        ENVIRONMENT="development",
        DATABASE_URL=settings.database_url,
        REDIS_URL=settings.redis_url,
        REDIS_PREFIX=settings.redis_prefix,
        MEDIA_URL=settings.media_url,
        S3_ENDPOINT_URL=settings.s3_endpoint_url or "",
        S3_ACCESS_KEY_ID=settings.s3_access_key_id or "",
        S3_SECRET_ACCESS_KEY=settings.s3_secret_access_key or "",
        AUTO_MIGRATE="false",
        SEED_DEMO="false",
        WEBHOOK_RETRY_BASE_SECONDS="0.2",
        WEBHOOK_RETRY_MAX_SECONDS="1",
        WEBHOOK_TIMEOUT_SECONDS="5",
    )
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "main.py", "worker"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def _delivered(event_id: int) -> bool:
    return await WebhookDelivery.filter(
        event_id=event_id, status=WebhookDeliveryStatus.SUCCEEDED
    ).exists()


async def _until_delivered(event_id: int, log: Path) -> None:
    for _ in range(900):
        if await _delivered(event_id):
            return
        await asyncio.sleep(0.1)
    shown = await asyncio.to_thread(log.read_text)
    raise AssertionError(f"event {event_id} never delivered; worker log:\n{shown}")


async def test_an_event_committed_before_the_worker_is_killed_is_delivered_after_it_restarts(
    running: Any,
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    tmp_path: Path,
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    product = await make_product(merchant=await make_merchant(owner=seller.user))
    app = await webhook_app(make_app, seller.user)
    log = tmp_path / "worker.log"

    async def rename(title: str) -> int:
        variables = {"id": gid("Product", product.id), "title": title}
        done = await gql.data(RENAME, variables, token=seller.token)
        assert done["updateProduct"]["__typename"] == "ProductSuccess", done
        latest = await Event.filter(type="product.updated").order_by("-id").first()
        assert latest is not None
        return int(latest.id)

    async with receiving(Receiver()) as receiver:
        _, secret = await subscribe(gql, seller.token, app, receiver.url, ["product.updated"])
        with worker_process(running.settings, log) as first:
            warm_up = await rename("Before the crash")
            await _until_delivered(warm_up, log)  # the worker runs and delivers

            first.send_signal(signal.SIGSTOP)  # it can relay nothing more
            committed = await rename("Just before the crash")
            first.kill()
            first.wait()

        assert await Event.filter(id=committed, relayed_at=None).exists()
        assert not await WebhookDelivery.filter(event_id=committed).exists()
        assert [orjson.loads(r.body)["id"] for r in receiver.requests] == [warm_up]

        with worker_process(running.settings, log):
            await _until_delivered(committed, log)

        bodies = [orjson.loads(r.body) for r in receiver.requests]
        assert [body["id"] for body in bodies] == [warm_up, committed]
        assert all(verify(secret, r.headers, r.body) for r in receiver.requests)
