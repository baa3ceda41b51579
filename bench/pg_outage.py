"""PostgreSQL restarted, then down for 20 s, under load: what do clients get, and does the app
come back by itself?

Run from the repository root:

    .venv/bin/python -m bench.pg_outage        (or: .venv/bin/python bench/pg_outage.py)

It starts a PostgreSQL 15 cluster of its own (initdb into a temporary directory, pg_ctl on a free
loopback port; as root, both run as the `postgres` user), so the shared cluster on 5432 is never
touched. It starts the app (`python main.py serve`, default timeouts, embedded Redis and media)
against that cluster, signs users up, and runs a bounded number of closed-loop clients, each on
one keep-alive connection, a third each signed-in readers (`viewer`), anonymous readers
(`products`) and anonymous writers (`addCartLine`, a transaction), for a bounded time, through
these phases: before, restart (`pg_ctl restart -m fast`), between, down (`pg_ctl stop -m fast`, then
`start` after --down seconds), after. It prints every response counted by phase, status and
`extensions.code`, checks that no response is a bare 500, that every failure is a 503
SERVICE_UNAVAILABLE with Retry-After and X-Request-ID, and that the same app process answers
200 again once PostgreSQL is back. Exit status 0 when every check holds. Only 127.0.0.1 is
contacted; everything it starts is stopped and the cluster's directory removed.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "var" / "bench"  # the app's log (pg_outage-app.log) and media, kept
PG_BIN = Path("/usr/lib/postgresql/15/bin")
HOST = "127.0.0.1"
DB_NAME = "agora_outage"
SIGNED_IN = {"query": "{ viewer { handle } }"}
ANONYMOUS = {"query": "{ products(first: 5) { totalCount edges { node { title } } } }"}
# A write in a transaction (SELECT ... FOR UPDATE on the cart): a unit more of the line, or,
# once the line is full (999), back to one.
ADD_LINE = (
    "mutation($t: String, $v: ID!) { addCartLine(cartToken: $t, variantId: $v, quantity: 1) {"
    " __typename ... on AddCartLineSuccess { cart { lines { id } } } } }"
)
RESET_LINE = (
    "mutation($t: String, $l: ID!) { updateCartLine(cartToken: $t, lineId: $l, quantity: 1) {"
    " __typename } }"
)


@dataclass(frozen=True, slots=True)
class Reply:
    at: float
    phase: str
    caller: str
    status: int | None  # None: no HTTP answer at all (connection dropped, client timeout)
    code: str  # extensions.code of the first error, "ok", or the transport error's name
    seconds: float
    clean: bool  # a failure with everything a client needs: JSON, Retry-After, X-Request-ID
    connection: int  # the client's local port: a new one, or -1 (closed), means not kept


@dataclass
class Run:
    replies: list[Reply] = field(default_factory=list)
    phase: str = "before"
    running: bool = True
    events: list[tuple[float, str]] = field(default_factory=list)

    def mark(self, phase: str) -> None:
        self.phase = phase
        self.events.append((time.monotonic(), phase))


# ---- a private PostgreSQL ---------------------------------------------------------------------


class Cluster:
    """A throwaway PostgreSQL 15 cluster on a free loopback port, trust auth, owned by the
    `postgres` user when we are root (PostgreSQL refuses to run as root)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="agora-pg-outage-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o700)

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, timeout=timeout, capture_output=True)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -c listen_addresses={HOST} -k {self.root}"
        self._run(
            "pg_ctl", action, "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
            *extra,
        )  # fmt: skip

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port


# ---- the app ----------------------------------------------------------------------------------


@contextlib.contextmanager
def app_server(database_url: str, scratch: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))},
        "ENVIRONMENT": "development",
        "DATABASE_URL": database_url,
        "REDIS_URL": "memory://",
        "MEDIA_URL": f"file://{scratch}/pg_outage-media",
        "SEED_DEMO": "false",
        "RUN_WORKER_IN_PROCESS": "false",
        "COST_BUDGET": "0",  # one client address sends all the load
        "SIGNUPS_PER_HOUR": "1000",
        "ANONYMOUS_CARTS_PER_HOUR": "1000",
        "LOG_LEVEL": "WARNING",
    }
    log = scratch / "pg_outage-app.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "main.py", "serve", "--host", HOST, "--port", "0"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            found = re.search(rb"Uvicorn running on http://127\.0\.0\.1:(\d+)", log.read_bytes())
            if found:
                break
            if server.poll() is not None:
                raise SystemExit(f"the app did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        else:
            raise SystemExit("the app did not start within 90 s")
        yield f"http://{HOST}:{int(found.group(1))}", server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ---- load -------------------------------------------------------------------------------------


async def client_loop(url: str, caller: str, token: str | None, run: Run) -> None:
    body = SIGNED_IN if token else ANONYMOUS
    headers = {"authorization": f"Bearer {token}"} if token else {}
    await _loop(url, caller, run, lambda _: body, headers)


async def writer_loop(url: str, caller: str, variant: str, run: Run) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        created = await http.post("/graphql", json={"query": CREATE_CART})
    cart = created.json()["data"]["createCart"]["cartToken"]
    line: list[str] = []

    def next_body(previous: Any) -> dict[str, Any]:
        added = (previous or {}).get("data") or {}
        result = added.get("addCartLine") or {}
        if result.get("__typename") == "AddCartLineSuccess" and not line:
            line.append(result["cart"]["lines"][0]["id"])
        if result.get("__typename") == "ValidationError" and line:
            return {"query": RESET_LINE, "variables": {"t": cart, "l": line[0]}}
        return {"query": ADD_LINE, "variables": {"t": cart, "v": variant}}

    await _loop(url, caller, run, next_body, {})


async def _loop(
    url: str,
    caller: str,
    run: Run,
    next_body: Callable[[Any], dict[str, Any]],
    headers: dict[str, str],
) -> None:
    """One closed-loop client on one keep-alive connection, until the run ends."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    previous: Any = None
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        while run.running:
            started = time.monotonic()
            phase = run.phase
            try:
                response = await http.post("/graphql", json=next_body(previous), headers=headers)
            except httpx.HTTPError as exc:
                run.replies.append(
                    Reply(started, phase, caller, None, type(exc).__name__, 0.0, False, -1)
                )
                await asyncio.sleep(0.05)
                continue
            reply = reply_of(response, started, phase, caller, _local_port(response))
            run.replies.append(reply)
            previous = response.json() if reply.code != "not-json" else None
            if response.status_code != 200:
                # What a well-behaved client does with Retry-After, shortened: the point is to
                # see the outage, not to wait it out politely.
                await asyncio.sleep(0.05)


def _local_port(response: httpx.Response) -> int:
    """The client's side of the connection the response came on; -1 once the server closed it."""
    try:
        port: int = response.extensions["network_stream"].get_extra_info("client_addr")[1]
    except (KeyError, OSError, TypeError):
        return -1
    return port


def reply_of(response: httpx.Response, started: float, phase: str, caller: str, port: int) -> Reply:
    seconds = time.monotonic() - started
    code = "ok"
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        code = "not-json"
    elif body.get("errors"):
        code = str(body["errors"][0].get("extensions", {}).get("code"))
    clean = (
        response.status_code == 503
        and code == "SERVICE_UNAVAILABLE"
        and int(response.headers.get("retry-after", "0")) > 0
        and bool(response.headers.get("x-request-id"))
        and body["errors"][0]["extensions"].get("requestId") == response.headers["x-request-id"]
    )
    return Reply(started, phase, caller, response.status_code, code, seconds, clean, port)


CREATE_CART = "mutation { createCart { ... on CreateCartSuccess { cartToken } } }"


async def register(url: str, index: int, role: str = "SHOPPER") -> str:
    mutation = (
        "mutation($e: String!, $h: String!, $r: Role!) { register(email: $e, password: "
        '"analytical-engine-1", handle: $h, role: $r) { __typename ... on AuthSuccess { token } } }'
    )
    variables = {"e": f"outage{index}@example.com", "h": f"outage_{index}", "r": role}
    token: str = (await _graphql(url, mutation, variables))["register"]["token"]
    return token


async def a_product(url: str) -> str:
    """A merchant's product with one variant in ample stock, for the writers; its variant id."""
    headers = {"authorization": f"Bearer {await register(url, 999, 'MERCHANT')}"}
    merchant = await _graphql(
        url,
        'mutation { createMerchant(name: "Outage Teas", currency: "EUR") {'
        " ... on MerchantSuccess { merchant { id } } } }",
        {},
        headers,
    )
    product = await _graphql(
        url,
        'mutation($m: ID!) { createProduct(merchantId: $m, title: "Sencha", status: ACTIVE,'
        ' variants: [{sku: "OUT-1", title: "50 g", price: 900, stock: 1000000}]) {'
        " ... on ProductSuccess { product { variants { id } } } } }",
        {"m": merchant["createMerchant"]["merchant"]["id"]},
        headers,
    )
    variant: str = product["createProduct"]["product"]["variants"][0]["id"]
    return variant


async def _graphql(
    url: str, query: str, variables: dict[str, Any], headers: dict[str, str] | None = None
) -> Any:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        reply = await http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    body = reply.json()
    if reply.status_code != 200 or body.get("errors"):
        raise SystemExit(f"set-up failed: {reply.status_code} {body}")
    return body["data"]


async def drive(url: str, cluster: Cluster, args: argparse.Namespace) -> Run:
    each = args.clients // 3
    tokens = [await register(url, i) for i in range(each)]
    variant = await a_product(url)
    run = Run()
    signed_in = [client_loop(url, f"signed-in-{i}", t, run) for i, t in enumerate(tokens)]
    anonymous = [client_loop(url, f"anonymous-{i}", None, run) for i in range(each)]
    writers = [writer_loop(url, f"writer-{i}", variant, run) for i in range(each)]
    load = asyncio.gather(*signed_in, *anonymous, *writers)

    run.mark("before")
    await asyncio.sleep(args.before)
    run.mark("restart")
    await asyncio.to_thread(cluster.restart)
    run.mark("between")
    await asyncio.sleep(args.between)
    run.mark("down")
    await asyncio.to_thread(cluster.stop)
    await asyncio.sleep(args.down)
    await asyncio.to_thread(cluster.start)
    run.mark("after")
    await asyncio.sleep(args.after)
    run.running = False  # each client finishes the request it is in (30 s at most), then stops
    await asyncio.wait_for(load, timeout=60)
    return run


# ---- the report -------------------------------------------------------------------------------


def report(run: Run, pid: int, server_alive: bool) -> bool:
    replies = run.replies
    print(f"\n{len(replies)} responses from {len({r.caller for r in replies})} clients\n")
    counts = collections.Counter(
        (r.phase, r.caller.rsplit("-", 1)[0], r.status, r.code) for r in replies
    )
    phases = ["before", "restart", "between", "down", "after"]
    print("phase (when sent)  caller     status  code                   count")
    for (phase, kind, status, code), count in sorted(
        counts.items(), key=lambda item: (phases.index(item[0][0]), *map(str, item[0][1:]))
    ):
        print(f"{phase:<18} {kind:<10} {status!s:>6}  {code:<22} {count:>6}")

    failures = [r for r in replies if r.status != 200 or r.code != "ok"]
    bare_500 = [r for r in replies if r.status == 500 or r.code == "not-json"]
    unclean = [r for r in failures if not r.clean]
    slowest = max((r.seconds for r in failures), default=0.0)
    failed_seconds = sorted(r.seconds for r in failures)
    median = statistics.median(failed_seconds) if failed_seconds else 0.0
    per_client: dict[str, set[int]] = collections.defaultdict(set)
    for r in replies:
        per_client[r.caller].add(r.connection)
    connections = {caller: len(ports) for caller, ports in per_client.items()}
    dropped = sum(1 for r in replies if r.connection == -1)
    after_start = next(t for t, phase in run.events if phase == "after")
    recovered = [r for r in replies if r.at >= after_start and r.status == 200]
    first_ok = min((r.at for r in recovered), default=None)
    last_failure = max((r.at for r in failures), default=None)
    tail = [r for r in replies if r.at >= after_start + 5]

    print()
    print(f"failures: {len(failures)}, of which 503 SERVICE_UNAVAILABLE complete: "
          f"{len(failures) - len(unclean)}")  # fmt: skip
    print(f"bare 500s (status 500 or a body that is not JSON): {len(bare_500)}")
    print(f"failures without status, code, Retry-After or X-Request-ID: {len(unclean)}")
    print(f"time to a failure: median {median * 1000:.0f} ms, slowest {slowest * 1000:.0f} ms")
    print(
        "connections per client (1 = kept alive throughout): "
        f"max {max(connections.values())}, clients {len(connections)}; "
        f"responses after which the connection was gone: {dropped}"
    )
    if first_ok is not None:
        print(f"first 200 after PostgreSQL was started again: {first_ok - after_start:.2f} s")
    if last_failure is not None and last_failure >= after_start:
        print(f"last failure after the start: {last_failure - after_start:.2f} s")
    print(f"app process {pid}, started once, still running: {server_alive}")

    checks = {
        "no bare 500": not bare_500,
        "every failure a complete 503 SERVICE_UNAVAILABLE": not unclean,
        "failures during the outage": any(r.phase in ("restart", "down") for r in failures),
        "every connection kept alive": max(connections.values()) == 1 and not dropped,
        "only 200s from 5 s after the start, the app never restarted": bool(tail)
        and all(r.status == 200 for r in tail)
        and server_alive,
    }
    print()
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return all(checks.values())


# ---- main -------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clients", type=int, default=9, help="concurrent clients, a third of each kind (3-63)"
    )
    parser.add_argument("--before", type=float, default=5, help="seconds of load before")
    parser.add_argument("--between", type=float, default=5, help="seconds between the two")
    parser.add_argument("--down", type=float, default=20, help="seconds PostgreSQL is stopped")
    parser.add_argument("--after", type=float, default=10, help="seconds of load after")
    args = parser.parse_args(argv)
    if not 3 <= args.clients <= 63:
        parser.error("--clients must be 3 to 63")
    for name in ("before", "between", "down", "after"):
        if not 0 < getattr(args, name) <= 300:
            parser.error(f"--{name} must be more than 0 and at most 300 seconds")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (PG_BIN / "initdb").exists():
        print(f"needs PostgreSQL 15 binaries in {PG_BIN}", file=sys.stderr)
        return 2
    cluster = Cluster()
    try:
        cluster.init()
        cluster.start()
        asyncio.run(_create_database(cluster))
        SCRATCH.mkdir(parents=True, exist_ok=True)
        with app_server(cluster.url(DB_NAME), SCRATCH) as (url, server):
            print(f"PostgreSQL on port {cluster.port} ({cluster.root}), app at {url}")
            run = asyncio.run(drive(url, cluster, args))
            return 0 if report(run, server.pid, server.poll() is None) else 1
    finally:
        cluster.remove()


async def _create_database(cluster: Cluster) -> None:
    connection = await asyncpg.connect(cluster.url("postgres"))
    try:
        await connection.execute(f'CREATE DATABASE "{DB_NAME}"')
    finally:
        await connection.close()


if __name__ == "__main__":
    sys.exit(main())
