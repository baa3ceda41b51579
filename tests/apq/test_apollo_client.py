"""Apollo Client's own persisted-queries link against `python main.py serve` on a real Redis:
the first run misses the hash and registers the query, the second sends the hash alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from tests.conftest import REDIS_URL
from tests.served import ROOT, served

CLIENT = ROOT / "tests" / "js"


@pytest.fixture(scope="module")
def served_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server on SQLite and the tests' Redis, under a prefix of its own."""
    workdir = tmp_path_factory.mktemp("apq")
    prefix = f"agora-apq-{uuid.uuid4().hex[:8]}:"
    with served(
        workdir,
        ENVIRONMENT="development",
        DATABASE_URL=f"sqlite://{workdir}/agora.sqlite3",
        REDIS_URL=REDIS_URL,
        REDIS_PREFIX=prefix,
        MEDIA_URL=f"file://{workdir}/media",
        SEED_DEMO="false",
        RUN_WORKER_IN_PROCESS="false",
        LOG_LEVEL="WARNING",
    ) as url:
        yield f"{url}/graphql"
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
    finally:
        client.close()


def run_client(url: str, mode: str) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (CLIENT / "node_modules" / "@apollo" / "client").is_dir():
        pytest.fail("needs node and `npm ci --prefix tests/js` (bash .ci/test does both)")
    run = subprocess.run(
        [node, str(CLIENT / "apq.mjs"), url, mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def sequence(exchanges: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["method"], e["sentQuery"], e["status"], e["codes"]) for e in exchanges]


EMPTY = {"products": {"__typename": "ProductConnection", "edges": []}}


def test_apollo_client_round_trip_over_get(served_url: str) -> None:
    ran = run_client(served_url, "get")

    # The link sends the full query by POST (Apollo's choice: it may be large), hashes by GET.
    assert sequence(ran["exchanges"]) == [
        ("GET", False, 200, ["PERSISTED_QUERY_NOT_FOUND"]),
        ("POST", True, 200, []),
        ("GET", False, 200, []),
    ]
    hashes = {e["sha256Hash"] for e in ran["exchanges"]}
    assert len(hashes) == 1
    assert None not in hashes
    assert all(e["variables"] == {"first": 5} for e in ran["exchanges"])
    assert ran["results"] == [EMPTY, EMPTY]


def test_apollo_client_round_trip_over_post(served_url: str) -> None:
    ran = run_client(served_url, "post")

    assert sequence(ran["exchanges"]) == [
        ("POST", False, 200, ["PERSISTED_QUERY_NOT_FOUND"]),
        ("POST", True, 200, []),
        ("POST", False, 200, []),
    ]
    assert len({e["sha256Hash"] for e in ran["exchanges"]}) == 1
    assert ran["results"] == [EMPTY, EMPTY]
