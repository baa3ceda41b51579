"""The raw baseline: Starlette + asyncpg + orjson, no ORM and no GraphQL.

Each route issues the same SQL statements, with the same parameters and in the same order, as
the GraphQL endpoint does for the matching benchmark scenario, and returns the same `data`
document. The statements were read from the app's `tortoise.db_client` debug log; `bench/run.py`
checks them again on every run (tortoise orders the selected columns differently in every
process, so the comparison sorts the column list).

Like tortoise, every statement goes through `pool.fetch`/`pool.execute`: one pool acquire and
one release (with asyncpg's reset) per statement, on a pool of the same size (1 to 10).

Run: `uvicorn bench.raw_app:app` with DATABASE_URL set. With BENCH_SQL_LOG=<file> set, each
statement is also appended to that file as `<sql>: <params>` (the format of tortoise's log).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO, TypedDict

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

POOL_MIN, POOL_MAX = 1, 10  # tortoise's pool in storage/database.py
SESSION_PREFIX = "ags_"
LAST_USED_RESOLUTION = timedelta(minutes=1)
STAFF_ROLES = ("admin", "moderator")
DEFAULT_PAGE_SIZE = 20

# -- the SQL, as tortoise sends it (column lists in model order) ---------------------------------

_USER_COLUMNS = (
    "created_at",
    "updated_at",
    "id",
    "email",
    "handle",
    "display_name",
    "bio",
    "role",
    "password_hash",
    "is_active",
)
_SESSION_COLUMNS = (
    "created_at",
    "updated_at",
    "id",
    "token_hash",
    "expires_at",
    "revoked_at",
    "last_used_at",
    "user_agent",
    "user_id",
)
_APP_COLUMNS = ("created_at", "updated_at", "id", "name", "description", "scopes", "owner_id")
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
_MERCHANT_COLUMNS = (
    "created_at",
    "updated_at",
    "id",
    "name",
    "slug",
    "story_html",
    "logo_url",
    "currency",
    "owner_id",
)
_CATEGORY_COLUMNS = ("created_at", "updated_at", "id", "name", "slug", "position", "parent_id")
_TAG_COLUMNS = ("created_at", "updated_at", "id", "tag", "product_id")
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
    "hidden_at",  # moderation (0019_moderation)
    "hidden_by_id",
)
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
_SHOPPABLE_TAG_COLUMNS = (
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
_POST_TOPIC_COLUMNS = ("id", "post_id", "topic_id", "position")
_TOPIC_COLUMNS = ("id", "slug", "name", "post_count", "created_at")


def _plain(columns: tuple[str, ...]) -> str:
    return ",".join(f'"{column}"' for column in columns)


SESSION_SQL = (
    "SELECT "
    + ",".join(f'"sessions"."{column}"' for column in _SESSION_COLUMNS)
    + ","
    + ",".join(f'"sessions__user"."{column}" "sessions__user.{column}"' for column in _USER_COLUMNS)
    + ' FROM "sessions" LEFT OUTER JOIN "users" "sessions__user"'
    ' ON "sessions__user"."id"="sessions"."user_id" WHERE "sessions"."token_hash"=$1 LIMIT $2'
)
TOUCH_SESSION_SQL = 'UPDATE "sessions" SET "last_used_at"=$1 WHERE "id"=$2'
USER_BY_HANDLE_SQL = f'SELECT {_plain(_USER_COLUMNS)} FROM "users" WHERE "handle"=$1 LIMIT $2'
USERS_PAGE_SQL = f'SELECT {_plain(_USER_COLUMNS)} FROM "users" ORDER BY "id" DESC LIMIT $1'


# resolvers/catalog.py: filtered_products + paginate_sorted (PRICE_ASC: min_price, then id).
PRODUCTS_IN_STOCK_BY_PRICE_SQL = (
    f'SELECT {_plain(_PRODUCT_COLUMNS)} FROM "products" WHERE "status"=$1 AND "total_stock">$2 '
    'ORDER BY "min_price" ASC,"id" ASC LIMIT $3'
)
PRODUCT_BY_SLUG_SQL = f'SELECT {_plain(_PRODUCT_COLUMNS)} FROM "products" WHERE "slug"=$1 LIMIT $2'


def _in(count: int) -> str:
    return ",".join(f"${n}" for n in range(1, count + 1))


def apps_by_owners_sql(count: int) -> str:
    return (
        f'SELECT {_plain(_APP_COLUMNS)} FROM "apps" WHERE "owner_id" IN ({_in(count)}) '
        'ORDER BY "id" DESC'
    )


# The catalog loaders of resolvers/context.py (resolvers/loading.py's by_id and grouped loaders).
def variants_by_products_sql(count: int) -> str:
    return (
        f'SELECT {_plain(_VARIANT_COLUMNS)} FROM "variants" WHERE "product_id" IN ({_in(count)}) '
        'ORDER BY "position" ASC,"id" ASC'
    )


def tags_by_products_sql(count: int) -> str:
    return (
        f'SELECT {_plain(_TAG_COLUMNS)} FROM "product_tags" WHERE "product_id" IN ({_in(count)}) '
        'ORDER BY "tag" ASC'
    )


def merchants_by_id_sql(count: int) -> str:
    return f'SELECT {_plain(_MERCHANT_COLUMNS)} FROM "merchants" WHERE "id" IN ({_in(count)})'


def categories_by_id_sql(count: int) -> str:
    return f'SELECT {_plain(_CATEGORY_COLUMNS)} FROM "categories" WHERE "id" IN ({_in(count)})'


# The content loaders (resolvers/content/loaders.py, resolvers/media/loaders.py).
def posts_by_slug_sql(count: int) -> str:
    return f'SELECT {_plain(_POST_COLUMNS)} FROM "posts" WHERE "slug" IN ({_in(count)})'


def users_by_id_sql(count: int) -> str:
    return f'SELECT {_plain(_USER_COLUMNS)} FROM "users" WHERE "id" IN ({_in(count)})'


def post_topics_sql(count: int) -> str:
    return (
        "SELECT "
        + ",".join(f'"post_topics"."{column}"' for column in _POST_TOPIC_COLUMNS)
        + ","
        + ",".join(
            f'"post_topics__topic"."{column}" "post_topics__topic.{column}"'
            for column in _TOPIC_COLUMNS
        )
        + ' FROM "post_topics" LEFT OUTER JOIN "topics" "post_topics__topic"'
        ' ON "post_topics__topic"."id"="post_topics"."topic_id"'
        f' WHERE "post_topics"."post_id" IN ({_in(count)})'
        ' ORDER BY "post_topics"."post_id" ASC,"post_topics"."position" ASC,"post_topics"."id" ASC'
    )


def media_by_id_sql(count: int) -> str:
    return f'SELECT {_plain(_MEDIA_COLUMNS)} FROM "media" WHERE "id" IN ({_in(count)})'


def post_tags_sql(count: int) -> str:
    ids = ",".join(f"${n}" for n in range(2, count + 2))
    return (
        f'SELECT {_plain(_SHOPPABLE_TAG_COLUMNS)} FROM "shoppable_tags" WHERE "target_kind"=$1 '
        f'AND "target_id" IN ({ids}) ORDER BY "target_id" ASC,"media_id" ASC,"position" ASC,'
        '"id" ASC'
    )


def products_by_id_sql(count: int) -> str:
    return f'SELECT {_plain(_PRODUCT_COLUMNS)} FROM "products" WHERE "id" IN ({_in(count)})'


def variants_by_id_sql(count: int) -> str:
    return f'SELECT {_plain(_VARIANT_COLUMNS)} FROM "variants" WHERE "id" IN ({_in(count)})'


# GraphQL enum names of the scopes stored in apps.scopes (resolvers/principal.py).
SCOPE_NAMES = {
    "read:account": "READ_ACCOUNT",
    "read:content": "READ_CONTENT",
    "write:content": "WRITE_CONTENT",
    "read:commerce": "READ_COMMERCE",
    "write:commerce": "WRITE_COMMERCE",
    "read:orders": "READ_ORDERS",
    "write:orders": "WRITE_ORDERS",
    "read:analytics": "READ_ANALYTICS",
    "webhooks": "WEBHOOKS",
}


class Db:
    """The pool, plus the optional statement log used by bench/run.py's SQL check."""

    def __init__(self, pool: Any, log: TextIO | None) -> None:
        self.pool = pool
        self.log = log

    def _record(self, sql: str, params: list[Any]) -> None:
        if self.log is not None:
            self.log.write(f"{sql}: {params!r}\n")
            self.log.flush()

    async def fetch(self, sql: str, *params: Any) -> list[Any]:
        self._record(sql, list(params))
        rows: list[Any] = await self.pool.fetch(sql, *params)
        return rows

    async def execute(self, sql: str, *params: Any) -> None:
        self._record(sql, list(params))
        await self.pool.execute(sql, *params)


def global_id(type_name: str, node_id: int) -> str:
    return base64.b64encode(f"{type_name}:{node_id}".encode()).decode()


def json_response(body: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status_code, media_type="application/json")


def error_response(message: str, code: str, status_code: int) -> Response:
    return json_response(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status_code
    )


async def read_variables(request: Request) -> dict[str, Any]:
    """The request carries the same GraphQL POST body; only its variables matter here."""
    payload = orjson.loads(await request.body())
    variables = payload.get("variables") if isinstance(payload, dict) else None
    return variables if isinstance(variables, dict) else {}


class Unauthenticated(Exception):
    pass


async def session_user(db: Db, authorization: str | None) -> Any | None:
    """The session's user row (columns prefixed `sessions__user.`), None when anonymous."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(SESSION_PREFIX):
        raise Unauthenticated
    digest = hashlib.sha256(token.encode()).hexdigest()
    rows = await db.fetch(SESSION_SQL, digest, 1)
    now = datetime.now(UTC)
    if not rows:
        raise Unauthenticated
    row = rows[0]
    if row["revoked_at"] is not None or row["expires_at"] <= now:
        raise Unauthenticated
    if not row["sessions__user.is_active"]:
        raise Unauthenticated
    last_used = row["last_used_at"]
    if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
        await db.execute(TOUCH_SESSION_SQL, now, row["id"])
    return row


def _unauthenticated() -> Response:
    return error_response("The token is invalid, expired or revoked.", "UNAUTHENTICATED", 401)


# -- routes -------------------------------------------------------------------------------------


async def healthz(request: Request) -> Response:
    db: Db = request.state.db
    await db.pool.fetchval("SELECT 1")
    return json_response({"status": "ok"})


async def viewer(request: Request) -> Response:
    """`{ viewer { id handle displayName } }`"""
    db: Db = request.state.db
    await read_variables(request)
    try:
        row = await session_user(db, request.headers.get("authorization"))
    except Unauthenticated:
        return _unauthenticated()
    node = None
    if row is not None:
        node = {
            "id": global_id("User", row["sessions__user.id"]),
            "handle": row["sessions__user.handle"],
            "displayName": row["sessions__user.display_name"],
        }
    return json_response({"data": {"viewer": node}})


async def user(request: Request) -> Response:
    """`query($h:String!){ user(handle:$h){ id handle displayName bio } }`"""
    db: Db = request.state.db
    variables = await read_variables(request)
    handle = str(variables.get("h", "")).strip().lower()
    rows = await db.fetch(USER_BY_HANDLE_SQL, handle, 1)
    node = None
    if rows:
        row = rows[0]
        node = {
            "id": global_id("User", row["id"]),
            "handle": row["handle"],
            "displayName": row["display_name"],
            "bio": row["bio"],
        }
    return json_response({"data": {"user": node}})


async def users(request: Request) -> Response:
    """`{ users(first:20){ edges{ node{ handle apps(first:5){ edges{ node{ name scopes } } } } } }
    }`. Staff only, as in the app; staff may see every user's apps.
    """
    db: Db = request.state.db
    await read_variables(request)
    try:
        viewer_row = await session_user(db, request.headers.get("authorization"))
    except Unauthenticated:
        return _unauthenticated()
    if viewer_row is None:
        return error_response("Sign in to do this.", "UNAUTHENTICATED", 200)
    if viewer_row["sessions__user.role"] not in STAFF_ROLES:
        return error_response("Your role does not allow this.", "FORBIDDEN", 200)
    page = (await db.fetch(USERS_PAGE_SQL, DEFAULT_PAGE_SIZE + 1))[:DEFAULT_PAGE_SIZE]
    owner_ids = [row["id"] for row in page]
    apps: dict[int, list[Any]] = {owner_id: [] for owner_id in owner_ids}
    if owner_ids:
        for app_row in await db.fetch(apps_by_owners_sql(len(owner_ids)), *owner_ids):
            apps[app_row["owner_id"]].append(app_row)
    edges = [
        {
            "node": {
                "handle": row["handle"],
                "apps": {
                    "edges": [
                        {
                            "node": {
                                "name": app_row["name"],
                                "scopes": [
                                    SCOPE_NAMES[scope] for scope in orjson.loads(app_row["scopes"])
                                ],
                            }
                        }
                        for app_row in apps[row["id"]][:5]
                    ]
                },
            }
        }
        for row in page
    ]
    return json_response({"data": {"users": {"edges": edges}}})


async def products(request: Request) -> Response:
    """`{ products(first: 20, sort: PRICE_ASC, filter: {inStock: true}) { edges { node { title
    slug priceRange { min { amount currency } } merchant { name } variants { sku price { amount }
    quantityAvailable } } } } }`, anonymous.

    The page, then the two batched loaders concurrently, as the DataLoaders dispatch them:
    variants of the 20 products (priceRange and variants share that loader), then their
    merchants (distinct ids, in page order).
    """
    db: Db = request.state.db
    await read_variables(request)
    page = (await db.fetch(PRODUCTS_IN_STOCK_BY_PRICE_SQL, "active", 0, DEFAULT_PAGE_SIZE + 1))[
        :DEFAULT_PAGE_SIZE
    ]
    variants: dict[int, list[Any]] = {row["id"]: [] for row in page}
    merchants: dict[int, Any] = {}
    if page:
        product_ids = list(variants)
        merchant_ids = list(dict.fromkeys(row["merchant_id"] for row in page))
        variant_rows, merchant_rows = await asyncio.gather(
            db.fetch(variants_by_products_sql(len(product_ids)), *product_ids),
            db.fetch(merchants_by_id_sql(len(merchant_ids)), *merchant_ids),
        )
        for variant in variant_rows:
            variants[variant["product_id"]].append(variant)
        merchants = {merchant["id"]: merchant for merchant in merchant_rows}
    edges = []
    for row in page:
        product_variants = variants[row["id"]]
        low = min((variant["price"] for variant in product_variants), default=0)
        edges.append(
            {
                "node": {
                    "title": row["title"],
                    "slug": row["slug"],
                    "priceRange": {"min": {"amount": low, "currency": row["currency"]}},
                    "merchant": {"name": merchants[row["merchant_id"]]["name"]},
                    "variants": [
                        {
                            "sku": variant["sku"],
                            "price": {"amount": variant["price"]},
                            "quantityAvailable": variant["stock"],
                        }
                        for variant in product_variants
                    ],
                }
            }
        )
    return json_response({"data": {"products": {"edges": edges}}})


async def _no_rows() -> list[Any]:
    return []


async def product(request: Request) -> Response:
    """`query($s: String!){ product(slug: $s){ title descriptionHtml tags ratingSummary
    { average count } variants { sku title price { amount currency } quantityAvailable }
    merchant { name slug } category { name } } }`, anonymous: only ACTIVE products are visible.

    The product, then four single-key loader queries concurrently, in the order the resolvers
    start them: tags, variants, merchant, category (none when the product has no category).
    """
    db: Db = request.state.db
    variables = await read_variables(request)
    slug = str(variables.get("s", "")).strip().lower()
    rows = await db.fetch(PRODUCT_BY_SLUG_SQL, slug, 1)
    if not rows or rows[0]["status"] != "active":
        return json_response({"data": {"product": None}})
    row = rows[0]
    category_id = row["category_id"]
    tags, variants, merchants, categories = await asyncio.gather(
        db.fetch(tags_by_products_sql(1), row["id"]),
        db.fetch(variants_by_products_sql(1), row["id"]),
        db.fetch(merchants_by_id_sql(1), row["merchant_id"]),
        db.fetch(categories_by_id_sql(1), category_id) if category_id is not None else _no_rows(),
    )
    count = row["rating_count"]
    currency = row["currency"]
    node = {
        "title": row["title"],
        "descriptionHtml": row["description_html"],
        "tags": [tag["tag"] for tag in tags],
        "ratingSummary": {
            "average": round(row["rating_sum"] / count, 2) if count else 0.0,
            "count": count,
        },
        "variants": [
            {
                "sku": variant["sku"],
                "title": variant["title"],
                "price": {"amount": variant["price"], "currency": currency},
                "quantityAvailable": variant["stock"],
            }
            for variant in variants
        ],
        "merchant": {"name": merchants[0]["name"], "slug": merchants[0]["slug"]},
        "category": {"name": categories[0]["name"]} if categories else None,
    }
    return json_response({"data": {"product": node}})


# The local media backend's public URL (storage/media.py LocalStorage.download_url).
PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")


def media_node(row: Any) -> dict[str, Any] | None:
    """`{ url width height thumbnail }` of a READY public image (the only kind seeded)."""
    if row is None or row["status"] != "ready":
        return None
    thumbnail = orjson.loads(row["variants"]).get("thumbnail")
    return {
        "url": f"{PUBLIC_URL}/media/{row['key']}",
        "width": row["width"],
        "height": row["height"],
        "thumbnail": f"{PUBLIC_URL}/media/{thumbnail['key']}" if thumbnail else None,
    }


async def post(request: Request) -> Response:
    """`query($s: String!) { post(slug: $s) { title bodyHtml publishedAt author { handle
    displayName } topics { slug name } cover { url width height thumbnail } media { url width
    height thumbnail } tags { x y product { title slug priceRange { min { amount currency } } }
    variant { sku price { amount currency } quantityAvailable } } } }`, anonymous: only
    published posts are visible.

    The post, then four loader queries concurrently (author, topics, the cover and gallery
    media in one batch, the post's tags); then the tagged products and variants concurrently;
    then the products' variants for priceRange.
    """
    db: Db = request.state.db
    variables = await read_variables(request)
    slug = str(variables.get("s", "")).strip().lower()
    rows = await db.fetch(posts_by_slug_sql(1), slug)
    if not rows or rows[0]["status"] != "published":
        return json_response({"data": {"post": None}})
    row = rows[0]
    media_ids = list(
        dict.fromkeys(
            ([row["cover_media_id"]] if row["cover_media_id"] is not None else [])
            + orjson.loads(row["media_ids"])
        )
    )
    authors, topics, media_rows, tags = await asyncio.gather(
        db.fetch(users_by_id_sql(1), row["author_id"]),
        db.fetch(post_topics_sql(1), row["id"]),
        db.fetch(media_by_id_sql(len(media_ids)), *media_ids) if media_ids else _no_rows(),
        db.fetch(post_tags_sql(1), "post", row["id"]),
    )
    media = {media_row["id"]: media_row for media_row in media_rows}
    product_ids = list(dict.fromkeys(tag["product_id"] for tag in tags))
    variant_ids = list(
        dict.fromkeys(tag["variant_id"] for tag in tags if tag["variant_id"] is not None)
    )
    product_rows, variant_rows = await asyncio.gather(
        db.fetch(products_by_id_sql(len(product_ids)), *product_ids) if product_ids else _no_rows(),
        db.fetch(variants_by_id_sql(len(variant_ids)), *variant_ids) if variant_ids else _no_rows(),
    )
    products = {product_row["id"]: product_row for product_row in product_rows}
    variants = {variant_row["id"]: variant_row for variant_row in variant_rows}
    prices: dict[int, list[int]] = {product_id: [] for product_id in product_ids}
    if product_ids:
        for variant in await db.fetch(variants_by_products_sql(len(product_ids)), *product_ids):
            prices[variant["product_id"]].append(variant["price"])
    author = authors[0] if authors and authors[0]["is_active"] else None
    gallery = [media_node(media.get(media_id)) for media_id in orjson.loads(row["media_ids"])]
    cover_id = row["cover_media_id"]
    node = {
        "title": row["title"],
        "bodyHtml": row["body_html"],
        "publishedAt": row["published_at"].isoformat() if row["published_at"] else None,
        "author": {"handle": author["handle"], "displayName": author["display_name"]}
        if author
        else None,
        "topics": [
            {"slug": topic["post_topics__topic.slug"], "name": topic["post_topics__topic.name"]}
            for topic in topics
        ],
        "cover": media_node(media.get(cover_id)) if cover_id is not None else None,
        "media": [item for item in gallery if item is not None],
        "tags": [_tag_node(tag, products, variants, prices) for tag in tags],
    }
    return json_response({"data": {"post": node}})


def _tag_node(
    tag: Any, products: dict[int, Any], variants: dict[int, Any], prices: dict[int, list[int]]
) -> dict[str, Any]:
    product_row = products[tag["product_id"]]
    currency = product_row["currency"]
    variant = variants.get(tag["variant_id"]) if tag["variant_id"] is not None else None
    return {
        "x": tag["x"],
        "y": tag["y"],
        "product": {
            "title": product_row["title"],
            "slug": product_row["slug"],
            "priceRange": {
                "min": {"amount": min(prices[product_row["id"]], default=0), "currency": currency}
            },
        },
        "variant": {
            "sku": variant["sku"],
            "price": {"amount": variant["price"], "currency": currency},
            "quantityAvailable": variant["stock"],
        }
        if variant is not None
        else None,
    }


# -- the app ------------------------------------------------------------------------------------


class State(TypedDict):
    db: Db


def _open_sql_log() -> TextIO | None:
    path = os.environ.get("BENCH_SQL_LOG")
    return open(path, "a") if path else None  # closed by the lifespan


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[State]:
    pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"], min_size=POOL_MIN, max_size=POOL_MAX
    )
    log = _open_sql_log()
    try:
        yield {"db": Db(pool, log)}
    finally:
        await pool.close()
        if log is not None:
            log.close()


app = Starlette(
    routes=[
        Route("/healthz", healthz),
        Route("/raw/viewer", viewer, methods=["POST"]),
        Route("/raw/user", user, methods=["POST"]),
        Route("/raw/users", users, methods=["POST"]),
        Route("/raw/products", products, methods=["POST"]),
        Route("/raw/product", product, methods=["POST"]),
        Route("/raw/post", post, methods=["POST"]),
    ],
    lifespan=lifespan,
)
