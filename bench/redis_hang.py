"""Product-page latency while Redis hangs: before, during (SIGSTOP) and after (SIGCONT).

Run from the repository root:

    .venv/bin/python -m bench.redis_hang [--backend embedded|services] [--requests 200]

It starts a private redis-server on a free port (no persistence), then the app under uvicorn
(one worker) pointed at it, on the embedded defaults (SQLite in a temporary directory) or on
the local PostgreSQL (database `agora_redis_hang`, dropped at the end), with demo data and the
cost budget on. It sends `--requests` product-page queries one at a time while Redis answers,
stops Redis with SIGSTOP (it then accepts connections but never answers, like a hung server),
times the first request, then `--requests` more and as many as fit in `--hang-seconds` (10 s:
three cool-downs, so the breaker's probes are in the figures), resumes Redis with SIGCONT,
waits out the cool-down and sends `--requests` more. Each phase also times `--logins`
sign-ins and one `/readyz`, counts the responses whose cost budget was enforced
(`throttleStatus` present) and the bytes the server logged (its output is kept in
var/bench/redis-hang.log). It prints one table and stops everything. Only 127.0.0.1 is
contacted, and every loop is bounded in count and each request in time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
POSTGRES = "postgres://postgres:postgres@127.0.0.1:5432"
DB_NAME = "agora_redis_hang"
READY_TIMEOUT = 60.0
LOG = ROOT / "var" / "bench" / "redis-hang.log"  # the server's output, kept for reading
MAX_REQUESTS = 20_000  # per phase, a bound on top of the time bound
REQUEST_TIMEOUT = 30.0  # well above the old 5 s socket timeout, so a stall shows as a figure

PRODUCT_PAGE = """query($s: String!) { product(slug: $s) { title descriptionHtml tags
  ratingSummary { average count } variants { sku title price { amount currency }
  quantityAvailable } merchant { name slug } category { name } } }"""
SLUG = "dragon-well-green-tea"  # demo data
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }"""
EMAIL, PASSWORD = "chef_ana@agora.test", "agora-demo-pass"


@dataclass(slots=True)
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, product page
    charged: int = 0  # responses whose budget was enforced
    logins: list[float] = field(default_factory=list)
    readyz: str = ""
    logged_bytes: int = 0

    def row(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies)
        p50 = statistics.median(ms)
        p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
        login = f"{statistics.median(self.logins) * 1000:.0f}" if self.logins else "-"
        slow = sum(x > 100 for x in ms)
        return (
            f"| {self.name} | {len(ms)} | {p50:.1f} | {p99:.1f} | {ms[-1]:.1f} | {slow} | "
            f"{self.charged}/{len(ms)} | {login} | {self.readyz or '-'} | {self.logged_bytes:,} |"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", HOST, "--save", ""]
    command += ["--appendonly", "no", "--dir", str(directory)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield process, port
    finally:
        process.send_signal(signal.SIGCONT)  # a stopped process acts on SIGTERM only once resumed
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def app_server(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    args = [sys.executable, "-m", "uvicorn", "main:app_from_env", "--factory"]
    args += ["--host", HOST, "--port", str(port), "--workers", "1", "--no-access-log"]
    args += ["--log-level", "warning"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + READY_TIMEOUT
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"the app exited with {process.returncode}; see {log}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"http://{HOST}:{port}/readyz", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise SystemExit(f"the app was not ready in {READY_TIMEOUT:.0f} s; see {log}")
                time.sleep(0.2)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def logged(log: Path) -> int:
    # A stat of a local file, between requests: nothing else runs on this loop to block.
    return log.stat().st_size


async def product_page(client: httpx.AsyncClient, phase: Phase) -> float:
    body = {"query": PRODUCT_PAGE, "variables": {"s": SLUG}}
    start = time.perf_counter()
    reply = await client.post("/graphql", json=body)
    elapsed = time.perf_counter() - start
    payload: dict[str, Any] = reply.json()
    if reply.status_code != 200 or payload.get("errors") or not payload["data"]["product"]:
        raise SystemExit(f"unexpected answer: {reply.status_code} {payload}")
    phase.latencies.append(elapsed)
    phase.charged += "throttleStatus" in payload["extensions"]["cost"]
    return elapsed


async def measure(
    client: httpx.AsyncClient,
    phase: Phase,
    requests: int,
    logins: int,
    log: Path,
    *,
    seconds: float = 0.0,
) -> None:
    """`requests` product pages, and more until `seconds` have passed (at most MAX_REQUESTS),
    then `logins` sign-ins and one /readyz."""
    logged_before = logged(log)
    started = time.monotonic()
    while len(phase.latencies) < requests or (
        time.monotonic() - started < seconds and len(phase.latencies) < MAX_REQUESTS
    ):
        await product_page(client, phase)
    for _ in range(logins):
        start = time.perf_counter()
        reply = await client.post(
            "/graphql", json={"query": LOGIN, "variables": {"e": EMAIL, "p": PASSWORD}}
        )
        phase.logins.append(time.perf_counter() - start)
        if reply.json()["data"]["login"]["__typename"] != "AuthSuccess":
            raise SystemExit(f"sign-in failed: {reply.text}")
    start = time.perf_counter()
    ready = await client.get("/readyz")
    down = ",".join(ready.json()["down"]) or "-"
    phase.readyz = f"{ready.status_code} {down} {(time.perf_counter() - start) * 1000:.0f} ms"
    phase.logged_bytes = logged(log) - logged_before


async def run(
    args: argparse.Namespace, redis: subprocess.Popen[bytes], app_port: int, log: Path
) -> list[Phase]:
    normal, hung, first, resumed = (
        Phase("Redis answers"),
        Phase("Redis hung (SIGSTOP), after the first failure"),
        Phase("Redis hung: the first request"),
        Phase("Redis resumed (SIGCONT), after the cool-down"),
    )
    async with httpx.AsyncClient(
        base_url=f"http://{HOST}:{app_port}", timeout=REQUEST_TIMEOUT
    ) as client:
        for _ in range(5):  # warm-up: caches, connections, the budget script
            await product_page(client, Phase("warm-up"))
        await measure(client, normal, args.requests, args.logins, log)
        redis.send_signal(signal.SIGSTOP)
        logged_before = logged(log)
        await product_page(client, first)
        first.logged_bytes = logged(log) - logged_before
        # Longer than the cool-down, so the breaker's probes (one request each) are in it.
        await measure(client, hung, args.requests, args.logins, log, seconds=args.hang_seconds)
        redis.send_signal(signal.SIGCONT)
        await asyncio.sleep(args.cooldown + 0.2)
        await measure(client, resumed, args.requests, args.logins, log)
    return [normal, first, hung, resumed]


async def recreate_database(drop_only: bool = False) -> None:
    connection = await asyncpg.connect(f"{POSTGRES}/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        if not drop_only:
            await connection.execute(f'CREATE DATABASE "{DB_NAME}"')
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("embedded", "services"), default="embedded")
    parser.add_argument("--requests", type=int, default=200, help="product pages per phase")
    parser.add_argument(
        "--hang-seconds", type=float, default=10.0, help="keep the hung phase going this long"
    )
    parser.add_argument("--logins", type=int, default=5, help="sign-ins per phase")
    parser.add_argument("--timeout", type=float, default=0.25, help="REDIS_TIMEOUT_SECONDS")
    parser.add_argument(
        "--cooldown", type=float, default=3.0, help="REDIS_BREAKER_COOLDOWN_SECONDS"
    )
    args = parser.parse_args()
    if not 1 <= args.requests <= MAX_REQUESTS:
        parser.error(f"--requests must be from 1 to {MAX_REQUESTS}")
    if not 0 <= args.hang_seconds <= 300:
        parser.error("--hang-seconds must be from 0 to 300")
    with tempfile.TemporaryDirectory(prefix="agora-redis-hang-") as scratch:
        directory = Path(scratch)
        log = LOG
        log.parent.mkdir(parents=True, exist_ok=True)
        with redis_server(directory) as (redis, redis_port):
            env = {
                "ENVIRONMENT": "development",
                "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
                "MEDIA_URL": f"file://{directory}/media",
                "SEED_DEMO": "true",
                "AUTO_MIGRATE": "true",
                # The worker's queue would block on the stopped Redis too; requests are measured.
                "RUN_WORKER_IN_PROCESS": "false",
                "REDIS_TIMEOUT_SECONDS": str(args.timeout),
                "REDIS_BREAKER_COOLDOWN_SECONDS": str(args.cooldown),
                "LOG_LEVEL": "WARNING",
            }
            if args.backend == "embedded":
                env["DATABASE_URL"] = f"sqlite://{directory}/agora.sqlite3"
            else:
                asyncio.run(recreate_database())
                env["DATABASE_URL"] = f"{POSTGRES}/{DB_NAME}"
            try:
                app_port = free_port()
                with app_server(env, app_port, log):
                    phases = asyncio.run(run(args, redis, app_port, log))
            finally:
                if args.backend == "services":
                    asyncio.run(recreate_database(drop_only=True))
    print(
        f"backend {args.backend}, REDIS_TIMEOUT_SECONDS={args.timeout:g}, "
        f"REDIS_BREAKER_COOLDOWN_SECONDS={args.cooldown:g}, one request at a time"
    )
    print(
        "| phase | product pages | p50 ms | p99 ms | max ms | over 100 ms | budget enforced "
        "| sign-in p50 ms | /readyz | bytes logged |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for phase in phases:
        print(phase.row())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
