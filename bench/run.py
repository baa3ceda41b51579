"""GraphQL endpoint against a raw Starlette + asyncpg baseline that issues the same SQL.

Run from the repository root:

    .venv/bin/python -m bench.run        (or: .venv/bin/python bench/run.py)

It drops and recreates the database `agora_bench` on 127.0.0.1:5432, migrates and seeds it,
creates an admin, starts the GraphQL app (port 8100) and bench/raw_app.py (port 8101) with
uvicorn, checks that both do the same SQL and return the same data, loads each scenario with a
closed-loop generator (wrk, or an httpx fallback) alternating raw and GraphQL runs, prints a
table, writes bench/results.md and stops both servers. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import functools
import importlib.metadata
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import asyncpg
import httpx
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results.md"

HOST = "127.0.0.1"
GQL_PORT, RAW_PORT = 8100, 8101
DB_NAME = "agora_bench"
MAINTENANCE_URL = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres:postgres@127.0.0.1:5432/{DB_NAME}"
SEED_USERS = 2000
# The catalog bench/run.py loads itself (see load_catalog): merchants owned by bench_1..bench_20,
# a two-level category tree, products with variants and tags.
CATALOG_MERCHANTS = 20
CATALOG_PRODUCTS = 2000
VARIANTS_PER_PRODUCT = 3
TAGS_PER_PRODUCT = 2
DRAFT_EVERY = 25  # every 25th product is a draft: not listed, and null for anonymous callers
# The posts (load_posts): by bench_100.., every 25th a draft; each published one with 2 topics,
# a cover and 2 gallery images, and 3-8 shoppable tags on those images.
CATALOG_POSTS = 500
POST_AUTHORS = 50
CATALOG_TOPICS = 20

ADMIN_EMAIL, ADMIN_HANDLE = "benchadmin@agora.test", "benchadmin"
ADMIN_PASSWORD = "bench-admin-pass-9x"
# A seeded creator; the bench profile gives every seeded user resolvers.seed.DEMO_PASSWORD.
USER_EMAIL, USER_PASSWORD = "bench_0@agora.test", "agora-demo-pass"

STEP_TIMEOUT = 300.0
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
MAX_REQUESTS_PER_RUN = 300_000  # a safety bound; at these rates the time bound ends each run
SEED = 20261123

APP_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "REDIS_PREFIX": "bench:",
    "MEDIA_URL": "file://var/bench-media",
    "SEED_DEMO": "false",
    "AUTO_MIGRATE": "false",
    "RUN_WORKER_IN_PROCESS": "false",
    "ENVIRONMENT": "development",
    # One client sends every request: a per-caller cost budget would throttle the load run, and
    # the raw app has no counterpart to its Redis round trip.
    "COST_BUDGET": "0",
}

console = Console()


# ---- scenarios --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    title: str
    query: str
    raw_path: str
    principal: str | None  # "admin", "user" or None (anonymous)
    # The variables each request picks one of at random; None: the query has no variables.
    variable_pool: Callable[[], list[dict[str, Any]]] | None = None

    def variable_sets(self) -> list[dict[str, Any]] | None:
        return self.variable_pool() if self.variable_pool is not None else None

    def body(self, rng: random.Random) -> dict[str, Any]:
        body: dict[str, Any] = {"query": self.query}
        pool = self.variable_sets()
        if pool is not None:
            body["variables"] = rng.choice(pool)
        return body

    def all_bodies(self) -> list[dict[str, Any]]:
        pool = self.variable_sets()
        if pool is None:
            return [{"query": self.query}]
        return [{"query": self.query, "variables": variables} for variables in pool]


def product_slug(n: int) -> str:
    return f"bench-product-{n}"


def product_is_active(n: int) -> bool:
    return n % DRAFT_EVERY != DRAFT_EVERY - 1


def post_slug(n: int) -> str:
    return f"bench-post-{n}"


def post_is_published(n: int) -> bool:
    return n % DRAFT_EVERY != DRAFT_EVERY - 1


@functools.cache
def post_slug_variables() -> list[dict[str, Any]]:
    # Published ones only: the check wants non-null data (drafts answer `post: null`).
    return [{"s": post_slug(n)} for n in range(CATALOG_POSTS) if post_is_published(n)]


@functools.cache
def handle_variables() -> list[dict[str, Any]]:
    return [{"h": f"bench_{n}"} for n in range(SEED_USERS)]


@functools.cache
def active_slug_variables() -> list[dict[str, Any]]:
    return [{"s": product_slug(n)} for n in range(CATALOG_PRODUCTS) if product_is_active(n)]


SCENARIOS = [
    Scenario(
        "viewer",
        "viewer (session user, 3 fields)",
        "{ viewer { id handle displayName } }",
        "/raw/viewer",
        "user",
    ),
    Scenario(
        "user",
        "user(handle) anonymous, 4 fields",
        "query($h:String!){ user(handle:$h){ id handle displayName bio } }",
        "/raw/user",
        None,
        variable_pool=handle_variables,
    ),
    Scenario(
        "users",
        "users(first:20) + apps(first:5), admin",
        "{ users(first:20){ edges{ node{ handle apps(first:5){ edges{ node{ name scopes } } "
        "} } } } }",
        "/raw/users",
        "admin",
    ),
    Scenario(
        "products",
        "products(first:20, PRICE_ASC, inStock) + variants, merchant, anonymous",
        "{ products(first: 20, sort: PRICE_ASC, filter: {inStock: true}) { edges { node { title "
        "slug priceRange { min { amount currency } } merchant { name } variants { sku "
        "price { amount } quantityAvailable } } } } }",
        "/raw/products",
        None,
    ),
    Scenario(
        "product",
        "product(slug) page anonymous: tags, rating, variants, merchant, category",
        "query($s: String!){ product(slug: $s){ title descriptionHtml tags ratingSummary "
        "{ average count } variants { sku title price { amount currency } quantityAvailable } "
        "merchant { name slug } category { name } } }",
        "/raw/product",
        None,
        variable_pool=active_slug_variables,
    ),
    Scenario(
        "post",
        "post(slug) page anonymous: author, topics, cover, media, shoppable tags",
        "query($s: String!) { post(slug: $s) { title bodyHtml publishedAt "
        "author { handle displayName } topics { slug name } "
        "cover { url width height thumbnail } media { url width height thumbnail } "
        "tags { x y product { title slug priceRange { min { amount currency } } } "
        "variant { sku price { amount currency } quantityAvailable } } } }",
        "/raw/post",
        None,
        variable_pool=post_slug_variables,
    ),
]


# ---- processes --------------------------------------------------------------------------------


def env_for_app(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("COUNT_SQL", "LOG_LEVEL", "BENCH_SQL_LOG")
    }
    env.update(APP_ENV)
    env.update(extra)
    return env


def run_step(args: list[str], *, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env_for_app(),
        input=stdin,
        text=True,
        capture_output=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(
            f"`python {' '.join(args)}` failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


class BenchError(RuntimeError):
    pass


@dataclass
class Server:
    name: str
    port: int
    ready_path: str
    process: subprocess.Popen[bytes]
    log_path: Path
    log_file: TextIO

    def cpu_seconds(self) -> float:
        """user + system CPU time of the server process so far (Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT)
        self.log_file.close()

    def log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text()[-3000:]
        return ""


def machine_cpu() -> tuple[float, float, float]:
    """(busy, steal, total) jiffies of all CPUs so far, from /proc/stat.

    Steal is time the hypervisor gave this VM's CPUs to someone else; it counts as busy.
    """
    try:
        values = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return float("nan"), float("nan"), float("nan")
    values = values[:8]  # user nice system idle iowait irq softirq steal (guest is in user)
    idle = values[3] + (values[4] if len(values) > 4 else 0.0)  # idle + iowait
    steal = values[7] if len(values) > 7 else 0.0
    return sum(values) - idle, steal, sum(values)


CALIBRATION = (
    "import time\nt = time.perf_counter()\nx = 0\nfor i in range(10_000_000): x += i\n"
    "print(time.perf_counter() - t)"
)


def calibrate() -> float:
    """Seconds for a module-level CPython loop of 10M additions (`python -c`), in a subprocess."""
    try:
        output = subprocess.run(
            [sys.executable, "-c", CALIBRATION],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        return float(output.strip())
    except (subprocess.SubprocessError, OSError, ValueError):
        return float("nan")


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def start_server(
    name: str,
    app: str,
    port: int,
    ready_path: str,
    *,
    factory: bool = False,
    log_config: Path | None = None,
    **extra_env: str,
) -> Server:
    if port_in_use(port):
        raise BenchError(f"Port {port} is already in use; stop whatever listens there first.")
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--log-level",
        "warning",
    ]
    if factory:
        args.append("--factory")
    if log_config is not None:
        args += ["--log-config", str(log_config)]
    log_path = LOGS / f"{name}.log"
    log_file = log_path.open("a")
    log_file.write(f"\n==== {dt.datetime.now(dt.UTC).isoformat()} {' '.join(args)}\n")
    log_file.flush()
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env=env_for_app(**extra_env),
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = Server(name, port, ready_path, process, log_path, log_file)
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
            raise BenchError(
                f"{name} exited with {process.returncode} while starting:\n{server.log_tail()}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://{HOST}:{port}{ready_path}", timeout=2).status_code == 200:
                return server
        time.sleep(0.2)
    server.stop()
    raise BenchError(f"{name} was not ready within {READY_TIMEOUT:.0f} s:\n{server.log_tail()}")


@contextlib.contextmanager
def servers(*specs: dict[str, Any]) -> Iterator[list[Server]]:
    started: list[Server] = []
    try:
        for spec in specs:
            started.append(start_server(**spec))
        yield started
    finally:
        for server in reversed(started):
            server.stop()


def gql_spec(**extra: Any) -> dict[str, Any]:
    return {
        "name": "graphql",
        "app": "main:app_from_env",
        "port": GQL_PORT,
        "ready_path": "/readyz",
        "factory": True,
        **extra,
    }


def raw_spec(**extra: Any) -> dict[str, Any]:
    return {
        "name": "raw",
        "app": "bench.raw_app:app",
        "port": RAW_PORT,
        "ready_path": "/healthz",
        **extra,
    }


# ---- setup ------------------------------------------------------------------------------------


async def recreate_database() -> str:
    connection = await asyncpg.connect(MAINTENANCE_URL)
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        await connection.execute(f"CREATE DATABASE {DB_NAME}")
        version: str = await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()
    return version


async def drop_database() -> None:
    connection = await asyncpg.connect(MAINTENANCE_URL)
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    finally:
        await connection.close()


# ---- the bench catalog ------------------------------------------------------------------------

CATEGORY_TREE = {  # top-level name: its subcategories; products go into the subcategories
    "Food & drink": ("Tea", "Coffee", "Snacks"),
    "Kitchen": ("Cookware", "Knives", "Tableware"),
    "Outdoors": ("Camping", "Climbing", "Trail running"),
    "Home": ("Lighting", "Textiles", "Storage"),
    "Books": ("Cooking", "Travel", "Field guides"),
}
TAG_POOL = (
    "organic",
    "gift",
    "new",
    "bestseller",
    "limited",
    "handmade",
    "vegan",
    "eco",
    "ultralight",
    "classic",
    "premium",
    "budget",
    "seasonal",
    "local",
    "imported",
    "bundle",
    "travel",
    "kids",
    "pro",
    "refill",
)
VARIANT_SIZES = (("Small", "S"), ("Medium", "M"), ("Large", "L"), ("Extra large", "XL"))
EUR_MERCHANTS = 5  # the last five merchants sell in EUR, the others in USD

_PRODUCT_COLUMNS = (
    "created_at",
    "updated_at",
    "id",
    "title",
    "slug",
    "description_html",
    "media_urls",
    "status",
    "currency",
    "min_price",
    "total_stock",
    "units_sold",
    "rating_count",
    "rating_sum",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
    "category_id",
    "merchant_id",
    "media_ids",
)
_VARIANT_COLUMNS = (
    "created_at",
    "updated_at",
    "id",
    "sku",
    "title",
    "options",
    "price",
    "compare_at_price",
    "stock",
    "position",
    "product_id",
)


def catalog_rows(
    owner_ids: list[int], now: dt.datetime
) -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """Every row of the bench catalog, with explicit ids (the catalog tables start empty).

    Deterministic (seeded), so every run lists and serves the same products. Variant prices are
    100-25,000 minor units; about a third of the variants and a tenth of the products have no
    stock, so `inStock` filters something out. Rating counters stay 0: there are no reviews.
    """
    rng = random.Random(SEED)
    categories: list[tuple[Any, ...]] = []
    leaves: list[int] = []
    for top_position, (top, children) in enumerate(CATEGORY_TREE.items()):
        top_id = len(categories) + 1
        top_slug = "bench-" + re.sub(r"[^a-z0-9]+", "-", top.lower()).strip("-")
        categories.append((now, now, top_id, top, top_slug, top_position, None))
        for position, child in enumerate(children):
            child_id = len(categories) + 1
            child_slug = f"{top_slug}-" + re.sub(r"[^a-z0-9]+", "-", child.lower()).strip("-")
            categories.append((now, now, child_id, child, child_slug, position, top_id))
            leaves.append(child_id)
    merchants = [
        (
            now,
            now,
            m + 1,
            f"Bench Merchant {m}",
            f"bench-merchant-{m}",
            f"<p>Bench merchant {m}: <strong>small-batch</strong> goods since {1950 + m}.</p>",
            "",
            "EUR" if m >= CATALOG_MERCHANTS - EUR_MERCHANTS else "USD",
            owner_ids[m],
        )
        for m in range(CATALOG_MERCHANTS)
    ]
    products: list[tuple[Any, ...]] = []
    variants: list[tuple[Any, ...]] = []
    tags: list[tuple[Any, ...]] = []
    for n in range(CATALOG_PRODUCTS):
        product_id = n + 1
        merchant = merchants[n % CATALOG_MERCHANTS]
        sold_out = rng.random() < 0.1
        prices, stocks = [], []
        for position in range(VARIANTS_PER_PRODUCT):
            title, size = VARIANT_SIZES[position % len(VARIANT_SIZES)]
            price = rng.randrange(100, 25_000)
            stock = 0 if sold_out or rng.random() < 0.25 else rng.randrange(1, 200)
            compare_at = price + rng.randrange(100, 2_000) if rng.random() < 0.3 else None
            prices.append(price)
            stocks.append(stock)
            variants.append(
                (
                    now,
                    now,
                    len(variants) + 1,
                    f"BENCH-{n}-{size}",
                    title,
                    json.dumps({"size": size}),
                    price,
                    compare_at,
                    stock,
                    position,
                    product_id,
                )
            )
        for tag in sorted(rng.sample(TAG_POOL, TAGS_PER_PRODUCT)):
            tags.append((now, now, len(tags) + 1, tag, product_id))
        products.append(
            (
                now,
                now,
                product_id,
                f"Bench Product {n}",
                product_slug(n),
                f"<p>Bench product {n} from {merchant[3]}. Made in small batches and packed by "
                "hand; every order ships within two working days.</p><ul><li>Durable</li>"
                "<li>Repairable</li></ul>",
                "[]",
                "active" if product_is_active(n) else "draft",
                merchant[7],
                min(prices),
                sum(stocks),
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                leaves[n % len(leaves)],
                merchant[2],
                "[]",
            )
        )
    return {
        "categories": (
            ("created_at", "updated_at", "id", "name", "slug", "position", "parent_id"),
            categories,
        ),
        "merchants": (
            (
                "created_at",
                "updated_at",
                "id",
                "name",
                "slug",
                "story_html",
                "logo_url",
                "currency",
                "owner_id",
            ),
            merchants,
        ),
        "products": (_PRODUCT_COLUMNS, products),
        "variants": (_VARIANT_COLUMNS, variants),
        "product_tags": (("created_at", "updated_at", "id", "tag", "product_id"), tags),
    }


_MEDIA_COLUMNS = (
    "created_at",
    "updated_at",
    "id",
    "owner_id",
    "kind",
    "status",
    "visibility",
    "key",
    "content_type",
    "byte_size",
    "filename",
    "width",
    "height",
    "variants",
    "failure",
    "processing_token",
)
_POST_COLUMNS = (
    "created_at",
    "updated_at",
    "id",
    "author_id",
    "community_id",
    "slug",
    "title",
    "body",
    "body_html",
    "status",
    "publish_at",
    "published_at",
    "revision_count",
    "cover_media_id",
    "media_ids",
)
_TAG_ROW_COLUMNS = (
    "id",
    "target_kind",
    "target_id",
    "media_id",
    "product_id",
    "variant_id",
    "x",
    "y",
    "at_seconds",
    "position",
    "created_at",
)
IMAGE_SIZES = ((1600, 1200), (1200, 1600), (1280, 1280), (2000, 1000))


def media_row(
    media_id: int, owner_id: int, size: tuple[int, int], now: dt.datetime
) -> tuple[Any, ...]:
    """A READY public image with the variants resolvers/media/processing.py writes (no objects
    in storage: with MEDIA_URL=file://... a URL is built from the key alone)."""
    width, height = size
    folder = f"media/{owner_id}/bench{media_id:06d}"
    variants = {}
    for name, edge in (("thumbnail", 320), ("display", 1280)):
        scale = min(1.0, edge / max(width, height))
        variants[name] = {
            "key": f"{folder}/{name}-{media_id:012d}.webp",
            "width": round(width * scale),
            "height": round(height * scale),
        }
    return (
        now,
        now,
        media_id,
        owner_id,
        "image",
        "ready",
        "public",
        f"{folder}/original.jpg",
        "image/jpeg",
        200_000 + media_id,
        f"bench-{media_id}.jpg",
        width,
        height,
        json.dumps(variants),
        "",
        "",
    )


def post_rows(
    author_ids: list[int], now: dt.datetime
) -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """The posts of the `post` scenario, their topics, media and shoppable tags (seeded)."""
    rng = random.Random(SEED + 1)
    topics = [
        (i + 1, f"bench-topic-{i}", f"Bench Topic {i}", 0, now) for i in range(CATALOG_TOPICS)
    ]
    active = [n for n in range(CATALOG_PRODUCTS) if product_is_active(n)]
    posts: list[tuple[Any, ...]] = []
    post_topics: list[tuple[Any, ...]] = []
    media: list[tuple[Any, ...]] = []
    tags: list[tuple[Any, ...]] = []
    topic_counts = [0] * CATALOG_TOPICS
    for n in range(CATALOG_POSTS):
        post_id = n + 1
        author_id = author_ids[n % len(author_ids)]
        published = post_is_published(n)
        media_ids: list[int] = []
        for _ in range(3):  # the cover, then the two gallery images
            media_id = len(media) + 1
            media.append(media_row(media_id, author_id, rng.choice(IMAGE_SIZES), now))
            media_ids.append(media_id)
        if published:
            for position, topic in enumerate(rng.sample(range(CATALOG_TOPICS), 2)):
                post_topics.append((len(post_topics) + 1, post_id, topic + 1, position))
                topic_counts[topic] += 1
            for position in range(rng.randint(3, 8)):
                product_n = rng.choice(active)
                variant_id = (
                    product_n * VARIANTS_PER_PRODUCT + rng.randrange(VARIANTS_PER_PRODUCT) + 1
                    if rng.random() < 0.5
                    else None
                )
                tags.append(
                    (
                        len(tags) + 1,
                        "post",
                        post_id,
                        rng.choice(media_ids),
                        product_n + 1,
                        variant_id,
                        round(rng.random(), 3),
                        round(rng.random(), 3),
                        None,
                        position,
                        now,
                    )
                )
        posts.append(
            (
                now,
                now,
                post_id,
                author_id,
                None,
                post_slug(n),
                f"Bench Post {n}",
                f"Bench post {n}: *small-batch* notes.",
                f"<p>Bench post {n}: <em>small-batch</em> notes from the workshop.</p>",
                "published" if published else "draft",
                None,
                now - dt.timedelta(minutes=n) if published else None,
                1,
                media_ids[0],
                json.dumps(media_ids[1:]),
            )
        )
    return {
        "topics": (
            ("id", "slug", "name", "post_count", "created_at"),
            [(*topic[:3], topic_counts[i], topic[4]) for i, topic in enumerate(topics)],
        ),
        "media": (_MEDIA_COLUMNS, media),
        "posts": (_POST_COLUMNS, posts),
        "post_topics": (("id", "post_id", "topic_id", "position"), post_topics),
        "shoppable_tags": (_TAG_ROW_COLUMNS, tags),
    }


async def load_catalog() -> dict[str, int]:
    """Bulk-load the bench catalog with COPY in one transaction; returns the row counts.

    Merchants are owned by bench_1..bench_20, who become merchants. No new users are made, so
    the `users` scenario's page (the 20 newest users) stays the same.
    """
    connection = await asyncpg.connect(DATABASE_URL)
    try:
        async with connection.transaction():
            owners = [f"bench_{n}" for n in range(1, CATALOG_MERCHANTS + 1)]
            found = {
                row["handle"]: row["id"]
                for row in await connection.fetch(
                    "UPDATE users SET role = 'merchant' WHERE handle = ANY($1::text[]) "
                    "RETURNING id, handle",
                    owners,
                )
            }
            if len(found) != len(owners):
                raise BenchError(f"the bench seed lacks merchant owners: {sorted(found)}")
            now = dt.datetime.now(dt.UTC)
            tables = catalog_rows([found[handle] for handle in owners], now)
            authors = [f"bench_{n}" for n in range(100, 100 + POST_AUTHORS)]
            author_ids = {
                row["handle"]: row["id"]
                for row in await connection.fetch(
                    "SELECT id, handle FROM users WHERE handle = ANY($1::text[])", authors
                )
            }
            tables.update(post_rows([author_ids[handle] for handle in authors], now))
            counts = {}
            for table, (columns, rows) in tables.items():
                if await connection.fetchval(f"SELECT count(*) FROM {table}"):
                    raise BenchError(f"{table} is not empty before the catalog load")
                await connection.copy_records_to_table(table, records=rows, columns=columns)
                # The ids were explicit: move the sequence past them for later inserts.
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
                counts[table] = len(rows)
        await connection.execute(
            "ANALYZE categories, merchants, products, variants, product_tags, topics, media, "
            "posts, post_topics, shoppable_tags"
        )
    finally:
        await connection.close()
    return counts


def prepare_database() -> str:
    with console.status("Recreating database agora_bench"):
        version = asyncio.run(recreate_database())
    console.print(f"[green]✓[/] database {DB_NAME} recreated (PostgreSQL {version})")
    with console.status("Applying migrations"):
        run_step(["main.py", "migrate"])
    console.print("[green]✓[/] migrations applied")
    with console.status(f"Seeding the bench profile ({SEED_USERS} users, one app each)"):
        run_step(["main.py", "seed", "--profile", "bench", "--users", str(SEED_USERS)])
    console.print(f"[green]✓[/] seeded {SEED_USERS} users")
    with console.status("Creating the admin"):
        run_step(
            [
                "main.py",
                "user",
                "create",
                "--email",
                ADMIN_EMAIL,
                "--handle",
                ADMIN_HANDLE,
                "--role",
                "admin",
            ],
            stdin=ADMIN_PASSWORD + "\n",
        )
    console.print(f"[green]✓[/] admin {ADMIN_HANDLE} created")
    with console.status("Loading the bench catalog (COPY through asyncpg)"):
        started = time.monotonic()
        counts = asyncio.run(load_catalog())
    console.print(
        "[green]✓[/] catalog loaded in "
        f"{time.monotonic() - started:.1f} s: "
        + ", ".join(f"{count:,} {table}" for table, count in counts.items())
    )
    return version


def login(email: str, password: str) -> str:
    mutation = (
        "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ __typename "
        "... on AuthSuccess { token } } }"
    )
    response = httpx.post(
        f"http://{HOST}:{GQL_PORT}/graphql",
        timeout=30,
        json={"query": mutation, "variables": {"e": email, "p": password}},
    )
    payload = response.json()
    result = (payload.get("data") or {}).get("login") or {}
    if response.status_code != 200 or result.get("__typename") != "AuthSuccess":
        raise BenchError(f"login as {email} failed: {response.status_code} {payload}")
    token: str = result["token"]
    return token


def headers_for(scenario: Scenario, tokens: dict[str, str]) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if scenario.principal is not None:
        headers["Authorization"] = f"Bearer {tokens[scenario.principal]}"
    return headers


# ---- correctness and SQL check ------------------------------------------------------------------

_SELECT = re.compile(r"^SELECT (?P<columns>.*?) FROM (?P<rest>.*)$", re.DOTALL)
_NOT_STATEMENTS = ("Created connection pool", "Closed connection pool")
_SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


def normalize_statement(line: str) -> str:
    """`<sql>: <params>` with the SELECT column list sorted (tortoise's order varies per process).

    UPDATE parameters (timestamps) are dropped; everything else must match exactly.
    """
    sql, _, params = line.rpartition(": [")
    if not sql:
        sql, params = line, ""
    match = _SELECT.match(sql)
    if match:
        columns = sorted(match["columns"].split(","))
        sql = f"SELECT {','.join(columns)} FROM {match['rest']}"
    if sql.startswith("UPDATE"):
        return sql
    return f"{sql}: [{params}"


class StatementLog:
    """Reads the statements a server appended to its SQL log since the last read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.write_text("")
        self.offset = 0

    def read_new(self) -> list[str]:
        with self.path.open() as file:
            file.seek(self.offset)
            text = file.read()
            self.offset = file.tell()
        return [
            line
            for line in text.splitlines()
            if line.strip() and not line.startswith(_NOT_STATEMENTS)
        ]


@dataclass
class CheckResult:
    samples: int = 0
    graphql_errors: int = 0
    data_mismatches: int = 0
    sql_mismatches: int = 0
    header_mismatches: int = 0
    statements_per_request: set[int] = field(default_factory=set)
    statements: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.graphql_errors
            or self.data_mismatches
            or self.sql_mismatches
            or self.header_mismatches
        )


def check_scenario(
    scenario: Scenario,
    tokens: dict[str, str],
    samples: int,
    gql_log: StatementLog,
    raw_log: StatementLog,
) -> CheckResult:
    rng = random.Random(SEED)
    result = CheckResult()
    headers = headers_for(scenario, tokens)
    with httpx.Client(timeout=30) as client:
        # One unchecked request to each server first. Tortoise logs a statement after it has
        # acquired a pool connection, so while a pool is still opening the connections that
        # concurrent DataLoader batches need (`product` runs four at once), the log order can
        # differ from the order the statements were issued in.
        warm_up = scenario.body(random.Random(SEED + 1))
        client.post(f"http://{HOST}:{GQL_PORT}/graphql", json=warm_up, headers=headers)
        client.post(f"http://{HOST}:{RAW_PORT}{scenario.raw_path}", json=warm_up, headers=headers)
        for _ in range(samples):
            body = scenario.body(rng)
            gql_log.read_new()
            gql = client.post(f"http://{HOST}:{GQL_PORT}/graphql", json=body, headers=headers)
            gql_sql = gql_log.read_new()
            raw_log.read_new()
            raw = client.post(
                f"http://{HOST}:{RAW_PORT}{scenario.raw_path}", json=body, headers=headers
            )
            raw_sql = raw_log.read_new()
            result.samples += 1
            gql_payload = gql.json()
            data = gql_payload.get("data") or {}
            if gql.status_code != 200 or "errors" in gql_payload or data.get(scenario.key) is None:
                result.graphql_errors += 1
                result.problems.append(f"GraphQL {gql.status_code}: {gql.text[:300]}")
            count = int(gql.headers.get("x-sql-statements", "-1"))
            result.statements_per_request.add(count)
            if count != len(gql_sql):
                result.header_mismatches += 1
                result.problems.append(f"x-sql-statements {count}, log {len(gql_sql)}")
            if raw.status_code != 200 or raw.json().get("data") != gql_payload.get("data"):
                result.data_mismatches += 1
                result.problems.append(f"raw {raw.status_code}: {raw.text[:300]}")
            normalized = [normalize_statement(line) for line in gql_sql]
            if normalized != [normalize_statement(line) for line in raw_sql]:
                result.sql_mismatches += 1
                result.problems.append(
                    "SQL differs:\n  graphql: "
                    + "\n  graphql: ".join(gql_sql)
                    + "\n  raw:     "
                    + "\n  raw:     ".join(raw_sql)
                )
            if not result.statements:
                result.statements = gql_sql
    return result


def sql_log_config(path: Path) -> Path:
    """A uvicorn --log-config that also writes tortoise's statement log to `path`."""
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(message)s"}},
        "handlers": {
            "sql": {
                "class": "logging.FileHandler",
                "filename": str(path),
                "formatter": "plain",
                "level": "DEBUG",
            }
        },
        "loggers": {"tortoise.db_client": {"handlers": ["sql"], "level": "DEBUG"}},
    }
    config_path = LOGS / "sql-logging.json"
    config_path.write_text(json.dumps(config, indent=2))
    return config_path


def touch_sessions(tokens: dict[str, str]) -> None:
    """One authenticated request per session, so its last_used_at is fresh for a minute."""
    for token in tokens.values():
        httpx.post(
            f"http://{HOST}:{GQL_PORT}/graphql",
            timeout=30,
            json={"query": "{ viewer { id } }"},
            headers={"Authorization": f"Bearer {token}"},
        )


# ---- load generation --------------------------------------------------------------------------


@dataclass
class RunResult:
    scenario: str
    target: str  # "raw" or "graphql"
    round: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    bad: int  # non-200 statuses, socket errors, timeouts and bodies with "errors"
    server_cpu_s: float
    machine_busy: float  # share of all cores busy during the run (everything on the host)
    machine_steal: float  # share of all cores stolen by the hypervisor during the run

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_s / self.requests if self.requests else float("nan")


LUA_TEMPLATE = """
local threads = {}
function setup(thread) table.insert(threads, thread) end

local requests_pool = {}
function init(args)
  math.randomseed(%(seed)d)
  responses = 0
  bad = 0
  local headers = %(headers)s
  local bodies = %(bodies)s
  for i, body in ipairs(bodies) do
    requests_pool[i] = wrk.format("POST", nil, headers, body)
  end
end

function request()
  return requests_pool[math.random(#requests_pool)]
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
  if responses >= %(max_requests)d then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do bad_total = bad_total + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %%.0f, "duration_us": %%.0f, "p50_us": %%.0f, "p99_us": %%.0f, '
    .. '"socket_errors": %%.0f, "bad": %%.0f}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, bad_total))
end
"""


def lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def lua_script(scenario: Scenario, tokens: dict[str, str]) -> Path:
    headers = (
        "{"
        + ", ".join(
            f'["{name}"] = {lua_string(value)}'
            for name, value in headers_for(scenario, tokens).items()
        )
        + "}"
    )
    bodies = scenario.all_bodies()
    lua_bodies = (
        "{"
        + ", ".join(lua_string(json.dumps(body, separators=(",", ":"))) for body in bodies)
        + "}"
    )
    path = LOGS / f"{scenario.key}.lua"
    path.write_text(
        LUA_TEMPLATE
        % {
            "seed": SEED,
            "headers": headers,
            "bodies": lua_bodies,
            "max_requests": MAX_REQUESTS_PER_RUN,
        }
    )
    return path


def wrk_run(url: str, script: Path, seconds: float, connections: int) -> dict[str, float]:
    args = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    result = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 30, check=False)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            raw: dict[str, float] = json.loads(line.removeprefix("BENCH_RESULT "))
            return {
                "requests": raw["requests"],
                "seconds": raw["duration_us"] / 1e6,
                "p50_ms": raw["p50_us"] / 1000,
                "p99_ms": raw["p99_us"] / 1000,
                "bad": raw["bad"] + raw["socket_errors"],
            }
    raise BenchError(f"wrk gave no result ({result.returncode}):\n{result.stdout}\n{result.stderr}")


async def httpx_load(
    url: str, scenario: Scenario, tokens: dict[str, str], seconds: float, connections: int
) -> dict[str, float]:
    """The fallback closed loop: `connections` workers, each sending one request at a time."""
    rng = random.Random(SEED)
    headers = headers_for(scenario, tokens)
    latencies: list[float] = []
    bad = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    deadline = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal bad
        while time.perf_counter() < deadline and len(latencies) < MAX_REQUESTS_PER_RUN:
            body = json.dumps(scenario.body(rng), separators=(",", ":"))
            started = time.perf_counter()
            try:
                response = await client.post(url, content=body, headers=headers)
                failed = response.status_code != 200 or b'"errors"' in response.content
            except httpx.HTTPError:
                failed = True
            latencies.append(time.perf_counter() - started)
            bad += failed

    started = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        await asyncio.gather(*(worker(client) for _ in range(connections)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        if not ordered:
            return float("nan")
        return 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    return {
        "requests": len(ordered),
        "seconds": elapsed,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "bad": bad,
    }


def ensure_wrk() -> bool:
    if shutil.which("wrk"):
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    with console.status("Installing wrk (apt-get update; apt-get install -y wrk)"):
        for args in (["apt-get", "update"], ["apt-get", "install", "-y", "wrk"]):
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                subprocess.run(
                    args,
                    capture_output=True,
                    timeout=STEP_TIMEOUT,
                    check=False,
                    env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                )
    return shutil.which("wrk") is not None


# ---- reporting --------------------------------------------------------------------------------


@dataclass
class Report:
    started: dt.datetime
    options: argparse.Namespace
    generator: str  # "wrk" or "httpx"
    generator_label: str
    pg_version: str
    load_before: tuple[float, float, float]
    calibration_before: float
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    calibration_after: float = float("nan")
    checks: dict[str, CheckResult] = field(default_factory=dict)
    runs: list[RunResult] = field(default_factory=list)
    total_seconds: float = 0.0

    def of(self, scenario: str, target: str) -> list[RunResult]:
        return [run for run in self.runs if run.scenario == scenario and run.target == target]


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def machine_facts() -> list[str]:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    return [f"{os.cpu_count()} cores ({model}){memory}; {platform.platform()}"]


def versions() -> str:
    names = [
        "strawberry-graphql",
        "graphql-core",
        "starlette",
        "uvicorn",
        "uvloop",
        "httptools",
        "tortoise-orm",
        "asyncpg",
        "orjson",
    ]
    found = []
    for name in names:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found.append(f"{name} {importlib.metadata.version(name)}")
    return f"Python {platform.python_version()}; " + ", ".join(found)


def wrk_version() -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        output = subprocess.run(
            ["wrk", "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
        return output.splitlines()[0].split(" Copyright")[0] if output else "wrk"
    return "wrk"


def fmt(value: float, digits: int = 1) -> str:
    return "n/a" if value != value else f"{value:,.{digits}f}"  # NaN check


def render_markdown(report: Report) -> str:
    opts = report.options
    lines = [
        "# Benchmark results: GraphQL endpoint vs raw Starlette + asyncpg, same SQL",
        "",
        f"Run {report.started:%Y-%m-%d %H:%M} UTC with `.venv/bin/python -m bench.run`"
        f" in {report.total_seconds:.0f} s.",
        "",
        "## Summary (mean of rounds)",
        "",
        "| scenario | SQL/req (GraphQL) | raw req/s | raw p50 ms | raw p99 ms "
        "| GraphQL req/s | GraphQL p50 ms | GraphQL p99 ms | GraphQL/raw throughput "
        "| per-round ratios | server CPU ms/req raw → GraphQL |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scenario in SCENARIOS:
        raw, gql = report.of(scenario.key, "raw"), report.of(scenario.key, "graphql")
        if not raw or not gql:
            continue
        raw_rps, gql_rps = mean([r.rps for r in raw]), mean([r.rps for r in gql])
        per_round = [f"{g.rps / r.rps:.0%}" for r, g in zip(raw, gql, strict=False) if r.rps]
        raw_cpu = mean([r.cpu_ms_per_request for r in raw])
        gql_cpu = mean([r.cpu_ms_per_request for r in gql])
        check = report.checks.get(scenario.key)
        sql = ", ".join(str(n) for n in sorted(check.statements_per_request)) if check else "?"
        lines.append(
            f"| `{scenario.key}`: {scenario.title} | {sql} | {fmt(raw_rps, 0)} "
            f"| {fmt(mean([r.p50_ms for r in raw]))} | {fmt(mean([r.p99_ms for r in raw]))} "
            f"| {fmt(gql_rps, 0)} | {fmt(mean([r.p50_ms for r in gql]))} "
            f"| {fmt(mean([r.p99_ms for r in gql]))} | **{raw_rps and gql_rps / raw_rps:.0%}** "
            f"| {', '.join(per_round)} | {fmt(raw_cpu, 2)} → {fmt(gql_cpu, 2)} "
            f"({gql_cpu / raw_cpu:.1f}x) |"
        )
    lines += [
        "",
        "## Every run",
        "",
        "Server CPU is the user + system time of the uvicorn process during the measured run "
        "(PostgreSQL's and the load generator's CPU not included); 100% is one core. Machine "
        "busy is the share of all cores in use on the host during the run (servers, "
        "PostgreSQL, wrk and anything else running); steal is the share the hypervisor gave "
        "to other guests.",
        "",
        "| round | scenario | target | requests | seconds | req/s | p50 ms | p99 ms "
        "| bad responses | server CPU ms/req | server CPU busy | machine busy | steal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in report.runs:
        busy = run.server_cpu_s / run.seconds if run.seconds else float("nan")
        lines.append(
            f"| {run.round} | {run.scenario} | {run.target} | {run.requests:,} "
            f"| {run.seconds:.1f} | {fmt(run.rps, 0)} | {fmt(run.p50_ms)} | {fmt(run.p99_ms)} "
            f"| {run.bad} | {fmt(run.cpu_ms_per_request, 3)} | {busy:.0%} "
            f"| {run.machine_busy:.0%} | {run.machine_steal:.1%} |"
        )
    lines += [
        "",
        "## Checks (GraphQL app started once with COUNT_SQL=true and its statement log on)",
        "",
        "| scenario | samples | GraphQL responses with errors | raw `data` ≠ GraphQL `data` "
        "| SQL differs | x-sql-statements ≠ statement log | statements/request |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, check in report.checks.items():
        lines.append(
            f"| {key} | {check.samples} | {check.graphql_errors} | {check.data_mismatches} "
            f"| {check.sql_mismatches} | {check.header_mismatches} "
            f"| {', '.join(str(n) for n in sorted(check.statements_per_request))} |"
        )
    lines += ["", "Statements of one sample request (as the GraphQL app logged them):", ""]
    for key, check in report.checks.items():
        lines.append(f"- `{key}`:")
        for statement in check.statements:
            lines.append(f"  - `{_SHA256.sub('<sha256 of the token>', statement)}`")
    lines += [
        "",
        "## Set-up",
        "",
        *[f"- Machine: {fact}" for fact in machine_facts()],
        "- PostgreSQL " + report.pg_version + ", Redis and the load generator run on the same "
        "host as both servers.",
        f"- Load average (1, 5, 15 min) before: {', '.join(f'{v:.2f}' for v in report.load_before)}"
        f"; after: {', '.join(f'{v:.2f}' for v in report.load_after)}.",
        f"- Machine speed: `python -c` with a module-level loop of 10M additions took "
        f"{report.calibration_before:.2f} s before the runs and {report.calibration_after:.2f} s "
        "after (the anchors in shared/research/anchors-performance.md report 1.13 s for a "
        "10M-addition loop, exact code not given).",
        f"- {versions()}.",
        f"- Load generator: {report.generator_label}; closed loop, {opts.connections} connections, "
        f"{opts.warmup:g} s warm-up then {opts.duration:g} s measured per run, {opts.rounds} "
        "round(s); raw and GraphQL alternate (round 1 raw first, round 2 GraphQL first, ...).",
        "- Servers: uvicorn, 1 worker each, uvloop + httptools, `--no-access-log`; GraphQL app "
        "`main:app_from_env` with COUNT_SQL off for the load runs; raw app `bench.raw_app:app`; "
        "asyncpg pools of 1-10 connections in both.",
        f"- Data: `main.py seed --profile bench --users {SEED_USERS}` plus one admin, then a "
        f"catalog bulk-loaded by the harness: {CATALOG_MERCHANTS} merchants (owned by bench_1.."
        f"bench_{CATALOG_MERCHANTS}, made merchants), {sum(map(len, CATEGORY_TREE.values()))} "
        f"subcategories under {len(CATEGORY_TREE)} top-level categories, {CATALOG_PRODUCTS:,} "
        f"products (every {DRAFT_EVERY}th a draft) with {VARIANTS_PER_PRODUCT} variants and "
        f"{TAGS_PER_PRODUCT} tags each, no reviews.",
        "",
    ]
    return "\n".join(lines)


# ---- the run ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--samples",
        type=int,
        default=20,
        help="requests per scenario in the correctness and SQL check",
    )
    parser.add_argument("--generator", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument(
        "--scenarios",
        default=",".join(s.key for s in SCENARIOS),
        help="comma-separated subset of: " + ", ".join(s.key for s in SCENARIOS),
    )
    parser.add_argument("--drop-db", action="store_true", help="drop agora_bench at the end")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def run_checks(report: Report, scenarios: list[Scenario], samples: int) -> dict[str, str]:
    gql_log = StatementLog(LOGS / "graphql-sql.log")
    raw_log = StatementLog(LOGS / "raw-sql.log")
    with (
        console.status("Starting both servers for the SQL check (COUNT_SQL=true)"),
        servers(
            gql_spec(log_config=sql_log_config(gql_log.path), COUNT_SQL="true"),
            raw_spec(BENCH_SQL_LOG=str(raw_log.path)),
        ),
    ):
        tokens = {
            "admin": login(ADMIN_EMAIL, ADMIN_PASSWORD),
            "user": login(USER_EMAIL, USER_PASSWORD),
        }
        touch_sessions(tokens)
        console.print("[green]✓[/] signed in as the admin and as bench_0")
        for scenario in scenarios:
            check = check_scenario(scenario, tokens, samples, gql_log, raw_log)
            report.checks[scenario.key] = check
            counts = ", ".join(str(n) for n in sorted(check.statements_per_request))
            mark = "[green]✓[/]" if check.ok else "[red]✗[/]"
            console.print(
                f"{mark} {scenario.key}: {check.samples} samples, {counts} SQL "
                f"statement(s) per request, errors {check.graphql_errors}, data "
                f"mismatches {check.data_mismatches}, SQL mismatches "
                f"{check.sql_mismatches}",
                soft_wrap=True,
            )
            for problem in check.problems[:3]:
                console.print(f"    [yellow]{problem}[/]", markup=False, highlight=False)
    return tokens


def run_load(report: Report, scenarios: list[Scenario], tokens: dict[str, str]) -> None:
    opts = report.options
    scripts = {s.key: lua_script(s, tokens) for s in scenarios} if report.generator == "wrk" else {}
    total = len(scenarios) * 2 * opts.rounds
    with (
        console.status("Starting both servers for the load runs"),
        servers(gql_spec(), raw_spec()) as (gql_server, raw_server),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            refresh_per_second=2,
        ) as progress,
    ):
        touch_sessions(tokens)
        task = progress.add_task("load runs", total=total)
        for round_number in range(1, opts.rounds + 1):
            for scenario in scenarios:
                targets = ["raw", "graphql"] if round_number % 2 else ["graphql", "raw"]
                for target in targets:
                    server = raw_server if target == "raw" else gql_server
                    url = (
                        f"http://{HOST}:{RAW_PORT}{scenario.raw_path}"
                        if target == "raw"
                        else f"http://{HOST}:{GQL_PORT}/graphql"
                    )
                    progress.update(
                        task, description=f"round {round_number} · {scenario.key} · {target}"
                    )
                    measure(
                        report,
                        scenario,
                        target,
                        round_number,
                        server,
                        url,
                        tokens,
                        scripts.get(scenario.key),
                    )
                    run = report.runs[-1]
                    progress.console.print(
                        f"  round {round_number} {scenario.key:<8} {target:<7} "
                        f"{run.rps:8.0f} req/s  p50 {run.p50_ms:6.1f} ms  p99 "
                        f"{run.p99_ms:6.1f} ms  bad {run.bad}  server CPU "
                        f"{run.cpu_ms_per_request:.3f} ms/req  machine busy "
                        f"{run.machine_busy:.0%}  steal {run.machine_steal:.1%}",
                        highlight=False,
                        soft_wrap=True,
                    )
                    progress.advance(task)


def measure(
    report: Report,
    scenario: Scenario,
    target: str,
    round_number: int,
    server: Server,
    url: str,
    tokens: dict[str, str],
    script: Path | None,
) -> None:
    opts = report.options

    def load(seconds: float) -> dict[str, float]:
        if script is not None:
            return wrk_run(url, script, seconds, opts.connections)
        return asyncio.run(httpx_load(url, scenario, tokens, seconds, opts.connections))

    if opts.warmup > 0:
        load(opts.warmup)
    cpu_before, machine_before = server.cpu_seconds(), machine_cpu()
    stats = load(opts.duration)
    cpu = server.cpu_seconds() - cpu_before
    machine_after = machine_cpu()
    total = machine_after[2] - machine_before[2]
    machine_busy = (machine_after[0] - machine_before[0]) / total if total > 0 else float("nan")
    machine_steal = (machine_after[1] - machine_before[1]) / total if total > 0 else float("nan")
    report.runs.append(
        RunResult(
            scenario=scenario.key,
            target=target,
            round=round_number,
            requests=int(stats["requests"]),
            seconds=stats["seconds"],
            p50_ms=stats["p50_ms"],
            p99_ms=stats["p99_ms"],
            bad=int(stats["bad"]),
            server_cpu_s=cpu,
            machine_busy=machine_busy,
            machine_steal=machine_steal,
        )
    )


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    wanted = {key.strip() for key in opts.scenarios.split(",") if key.strip()}
    scenarios = [s for s in SCENARIOS if s.key in wanted]
    if not scenarios:
        console.print("[red]No known scenario selected.[/]")
        return 2
    LOGS.mkdir(parents=True, exist_ok=True)
    started, clock = dt.datetime.now(dt.UTC), time.monotonic()
    load_before = os.getloadavg()
    with console.status("Timing a CPython loop of 10M additions (machine speed)"):
        calibration_before = calibrate()
    console.print(f"[green]✓[/] 10M-addition loop: {calibration_before:.2f} s")
    generator = "httpx"
    if opts.generator != "httpx":
        if ensure_wrk():
            generator = "wrk"
        elif opts.generator == "wrk":
            console.print("[red]wrk is not installed and could not be installed.[/]")
            return 2
        else:
            console.print(
                "[yellow]wrk unavailable: falling back to the httpx load generator "
                "(it competes with the servers for CPU; expect lower numbers).[/]"
            )
    label = (
        f"{wrk_version()} (`-t1`, Lua script: POST bodies, every response checked)"
        if generator == "wrk"
        else "asyncio + httpx (fallback)"
    )
    try:
        pg_version = prepare_database()
        report = Report(
            started=started,
            options=opts,
            generator=generator,
            generator_label=label,
            pg_version=pg_version,
            load_before=load_before,
            calibration_before=calibration_before,
        )
        tokens = run_checks(report, scenarios, opts.samples)
        run_load(report, scenarios, tokens)
    except BenchError as exc:
        console.print(f"[red]Benchmark failed:[/] {exc}", markup=True, highlight=False)
        return 1
    finally:
        if opts.drop_db:
            with contextlib.suppress(Exception):
                asyncio.run(drop_database())
    report.load_after = os.getloadavg()
    report.calibration_after = calibrate()
    report.total_seconds = time.monotonic() - clock
    markdown = render_markdown(report)
    opts.output.write_text(markdown)
    summary = markdown.split("## Every run")[0].split("## Summary (mean of rounds)")[1]
    console.print(
        "\n## Summary (mean of rounds)" + summary.rstrip(),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    console.print(f"[green]Wrote {opts.output}[/] ({report.total_seconds:.0f} s)")
    failed = [key for key, check in report.checks.items() if not check.ok]
    bad_runs = [run for run in report.runs if run.bad]
    if failed or bad_runs:
        console.print(
            f"[red]Checks failed for {failed}; runs with bad responses: {len(bad_runs)}[/]"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
