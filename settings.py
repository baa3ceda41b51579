"""Configuration: one frozen Settings object, read from the environment once at start-up."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import SplitResult, urlsplit

Environment = Literal["development", "production"]

# Known, public, and therefore refused in production.
DEVELOPMENT_SECRET_KEY = "agora-development-secret-key-do-not-use-in-production"

# The image types the media worker decodes and resizes with Pillow (resolvers/media).
IMAGE_TYPES_PROCESSED = ("image/jpeg", "image/png", "image/webp", "image/gif")
# requestUpload's byteSize is a GraphQL Int (32-bit), under S3's 5 GiB for one POST.
MAX_OBJECT_BYTES = 2**31 - 1
# The longest a SigV4 presigned URL may work: one week.
MAX_SIGNED_URL_SECONDS = 7 * 24 * 3600
# A media subtype as RFC 6838 restricts names: what a Content-Type policy condition can match.
_TOKEN = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


# No "0 means off": an unbounded wait on the database is what these settings prevent.
DATABASE_WAIT_RANGE = (0.001, 3600.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    environment: Environment = "development"
    database_url: str = "sqlite://var/agora.sqlite3"
    redis_url: str = "memory://"
    media_url: str = "file://var/media"
    s3_endpoint_url: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_region: str = "us-east-1"
    s3_public_url: str | None = None
    # What requestUpload accepts per media kind (resolvers/media). Image types are those the
    # worker can decode and resize (IMAGE_TYPES_PROCESSED); caps are per object.
    media_image_types: tuple[str, ...] = ("image/jpeg", "image/png", "image/webp", "image/gif")
    media_image_max_bytes: int = 10 * 1024 * 1024
    media_video_types: tuple[str, ...] = ("video/mp4", "video/webm", "video/quicktime")
    media_video_max_bytes: int = 200 * 1024 * 1024
    # How long the signed URLs of private media work (presigned GETs, or the local /media/
    # route's); SigV4 allows at most a week.
    media_private_url_seconds: int = 600
    secret_key: str = DEVELOPMENT_SECRET_KEY
    public_url: str = "http://127.0.0.1:8000"
    # The storefront (frontend) that share links redirect to; None: public_url.
    storefront_url: str | None = None
    # Browser origins allowed to call the API (CORS); ("*",) is any. Production's default is none.
    cors_origins: tuple[str, ...] = ("*",)
    # Redis keys and queue names start with this: deployments and test runs can share a Redis.
    redis_prefix: str = "agora:"
    # Connect and command timeout of the request path's Redis client (budgets, throttles): a
    # hung Redis costs a request this long, once, before the breaker skips it. The job queue
    # keeps longer ones (storage/cache.py).
    redis_timeout_seconds: float = 0.25
    # After a Redis failure, requests skip Redis this long, then one request probes it.
    redis_breaker_cooldown_seconds: float = 3.0
    # Development applies migrations and loads demo data on start; production does neither.
    auto_migrate: bool = True
    seed_demo: bool = True
    # Embedded mode runs the background worker inside the web process.
    run_worker_in_process: bool = True
    # Tests and benchmarks count SQL statements per request (header X-SQL-Statements).
    count_sql: bool = False
    # Bounded waits on PostgreSQL (storage/database.py), so an outage answers 503 within
    # seconds instead of holding every request for as long as it lasts.
    database_connect_timeout_seconds: float = 5.0
    database_statement_timeout_seconds: float = 10.0
    database_pool_timeout_seconds: float = 5.0
    session_ttl_seconds: int = 30 * 24 * 3600
    login_max_failures: int = 5
    login_failure_window_seconds: int = 15 * 60
    anonymous_carts_per_hour: int = 60  # per client address
    signups_per_hour: int = 20  # per client address
    share_clicks_per_minute: int = 60  # resolveShareLink, per client address
    event_retention_days: int = 7  # relayed outbox events are deleted after this (docs/events.md)
    comments_per_minute: int = 20  # addComment, per user
    reports_per_hour: int = 30  # report (and reportReview), per user
    # Home feeds (resolvers/feeds): authors and topics with more followers than this are not
    # fanned out on write but merged into their followers' feeds on read; a feed keeps at most
    # feed_max_items posts in Redis, and one nobody read for feed_ttl_seconds expires (and is
    # rebuilt from PostgreSQL on the next read).
    feed_fanout_max_followers: int = 1000
    feed_max_items: int = 800
    feed_ttl_seconds: int = 14 * 24 * 3600
    # GraphQL subscriptions over WebSocket (resolvers/subscriptions, docs/subscriptions.md).
    subscriptions_per_connection: int = 20
    # Open connections one caller (a user, or an anonymous client network) may hold across
    # every API process: leases in Redis that each connection renews with its heartbeat.
    subscription_connections_per_caller: int = 10
    # The server pings every this many seconds; a client that has not answered the previous
    # ping by then is closed. The same beat renews the connection's lease and re-checks its
    # token (revoked or expired: closed with 4401).
    subscription_ping_seconds: float = 15.0
    subscription_init_timeout_seconds: float = 10.0
    # Events one subscription may have waiting; past it the subscriber is too slow and its
    # subscription ends with SUBSCRIBER_TOO_SLOW rather than growing memory without end.
    subscription_queue_size: int = 100
    # Webhooks (resolvers/webhooks, docs/webhooks.md). http:// targets only where allowed
    # (development); a delivery gets webhook_max_attempts tries, waiting a random part (full
    # jitter) of base * 2**(n-1), capped, after the n-th; a subscription whose deliveries
    # failed webhook_disable_after_failures times in a row is disabled.
    webhook_allow_http: bool = True
    webhook_timeout_seconds: float = 10.0
    webhook_max_attempts: int = 8
    webhook_retry_base_seconds: float = 30.0
    webhook_retry_max_seconds: float = 6 * 3600.0
    webhook_disable_after_failures: int = 5
    # Anonymous callers may run only registered documents (resolvers/documents.py).
    anonymous_trusted_documents_only: bool = False
    # Automatic persisted queries (resolvers/apq.py): documents registered by their SHA-256
    # live in Redis this long after their last use; larger ones run but are not stored, and a
    # caller stores at most apq_registrations_per_hour documents an hour.
    apq_enabled: bool = True
    apq_ttl_seconds: int = 24 * 3600
    apq_max_document_bytes: int = 32_768
    apq_registrations_per_hour: int = 100
    # Per-caller leaky bucket of query cost (resolvers/budget.py); 0 turns it off.
    cost_budget: int = 20_000
    cost_budget_restore_rate: int = 1_000  # points a second
    max_query_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_query_cost: int = 5000
    max_page_size: int = 100
    # `__schema` and `__type` answer; production's default is off (schema/limits.py).
    introspection: bool = True
    log_level: str = "INFO"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def database_engine(self) -> Literal["sqlite", "postgres"]:
        return "sqlite" if self.database_url.startswith("sqlite:") else "postgres"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        reader = _Reader(env)
        defaults = cls()
        environment = reader.choice("ENVIRONMENT", ("development", "production"), "development")
        production = environment == "production"
        settings = cls(
            environment=environment,  # type: ignore[arg-type]  # checked by choice()
            database_url=reader.url(
                "DATABASE_URL", ("sqlite", "postgres", "postgresql"), defaults.database_url
            ),
            redis_url=reader.url("REDIS_URL", ("memory", "redis", "rediss"), defaults.redis_url),
            media_url=reader.url("MEDIA_URL", ("file", "s3"), defaults.media_url),
            s3_endpoint_url=reader.optional_url("S3_ENDPOINT_URL", ("http", "https")),
            s3_access_key_id=env.get("S3_ACCESS_KEY_ID") or None,
            s3_secret_access_key=env.get("S3_SECRET_ACCESS_KEY") or None,
            s3_region=env.get("S3_REGION") or defaults.s3_region,
            s3_public_url=reader.optional_url("S3_PUBLIC_URL", ("http", "https")),
            media_image_types=reader.content_types(
                "MEDIA_IMAGE_TYPES", "image", defaults.media_image_types
            ),
            media_image_max_bytes=reader.integer(
                "MEDIA_IMAGE_MAX_BYTES", defaults.media_image_max_bytes, 1
            ),
            media_video_types=reader.content_types(
                "MEDIA_VIDEO_TYPES", "video", defaults.media_video_types
            ),
            media_video_max_bytes=reader.integer(
                "MEDIA_VIDEO_MAX_BYTES", defaults.media_video_max_bytes, 1
            ),
            media_private_url_seconds=reader.integer(
                "MEDIA_PRIVATE_URL_SECONDS", defaults.media_private_url_seconds, 1
            ),
            secret_key=reader.secret_key(production),
            public_url=reader.url("PUBLIC_URL", ("http", "https"), defaults.public_url),
            storefront_url=reader.optional_url("STOREFRONT_URL", ("http", "https")),
            cors_origins=reader.origins("CORS_ORIGINS", () if production else ("*",)),
            redis_prefix=env.get("REDIS_PREFIX", defaults.redis_prefix),
            redis_timeout_seconds=reader.seconds(
                "REDIS_TIMEOUT_SECONDS", defaults.redis_timeout_seconds, 0.01, 60
            ),
            redis_breaker_cooldown_seconds=reader.seconds(
                "REDIS_BREAKER_COOLDOWN_SECONDS", defaults.redis_breaker_cooldown_seconds, 0.1, 300
            ),
            auto_migrate=reader.boolean("AUTO_MIGRATE", not production),
            seed_demo=reader.boolean("SEED_DEMO", not production),
            run_worker_in_process=reader.boolean("RUN_WORKER_IN_PROCESS", not production),
            count_sql=reader.boolean("COUNT_SQL", False),
            database_connect_timeout_seconds=reader.seconds(
                "DATABASE_CONNECT_TIMEOUT_SECONDS",
                defaults.database_connect_timeout_seconds,
                0.001,
                3600,
            ),
            database_statement_timeout_seconds=reader.seconds(
                "DATABASE_STATEMENT_TIMEOUT_SECONDS",
                defaults.database_statement_timeout_seconds,
                0.001,
                3600,
            ),
            database_pool_timeout_seconds=reader.seconds(
                "DATABASE_POOL_TIMEOUT_SECONDS",
                defaults.database_pool_timeout_seconds,
                *DATABASE_WAIT_RANGE,
            ),
            anonymous_trusted_documents_only=reader.boolean(
                "ANONYMOUS_TRUSTED_DOCUMENTS_ONLY", False
            ),
            apq_enabled=reader.boolean("APQ_ENABLED", defaults.apq_enabled),
            apq_ttl_seconds=reader.integer("APQ_TTL_SECONDS", defaults.apq_ttl_seconds, 60),
            apq_max_document_bytes=reader.integer(
                "APQ_MAX_DOCUMENT_BYTES", defaults.apq_max_document_bytes, 1
            ),
            apq_registrations_per_hour=reader.integer(
                "APQ_REGISTRATIONS_PER_HOUR", defaults.apq_registrations_per_hour, 1
            ),
            session_ttl_seconds=reader.integer(
                "SESSION_TTL_SECONDS", defaults.session_ttl_seconds, 60
            ),
            anonymous_carts_per_hour=reader.integer(
                "ANONYMOUS_CARTS_PER_HOUR", defaults.anonymous_carts_per_hour, 1
            ),
            introspection=reader.boolean("INTROSPECTION", not production),
            signups_per_hour=reader.integer("SIGNUPS_PER_HOUR", defaults.signups_per_hour, 1),
            share_clicks_per_minute=reader.integer(
                "SHARE_CLICKS_PER_MINUTE", defaults.share_clicks_per_minute, 1
            ),
            event_retention_days=reader.integer(
                "EVENT_RETENTION_DAYS", defaults.event_retention_days, 1
            ),
            comments_per_minute=reader.integer(
                "COMMENTS_PER_MINUTE", defaults.comments_per_minute, 1
            ),
            reports_per_hour=reader.integer("REPORTS_PER_HOUR", defaults.reports_per_hour, 1),
            feed_fanout_max_followers=reader.integer(
                "FEED_FANOUT_MAX_FOLLOWERS", defaults.feed_fanout_max_followers, 0
            ),
            feed_max_items=reader.integer("FEED_MAX_ITEMS", defaults.feed_max_items, 1),
            feed_ttl_seconds=reader.integer("FEED_TTL_SECONDS", defaults.feed_ttl_seconds, 60),
            webhook_allow_http=reader.boolean("WEBHOOK_ALLOW_HTTP", not production),
            webhook_timeout_seconds=reader.seconds(
                "WEBHOOK_TIMEOUT_SECONDS", defaults.webhook_timeout_seconds, 0.1, 60
            ),
            webhook_max_attempts=reader.integer(
                "WEBHOOK_MAX_ATTEMPTS", defaults.webhook_max_attempts, 5
            ),
            webhook_retry_base_seconds=reader.seconds(
                "WEBHOOK_RETRY_BASE_SECONDS", defaults.webhook_retry_base_seconds, 0.01, 86400
            ),
            webhook_retry_max_seconds=reader.seconds(
                "WEBHOOK_RETRY_MAX_SECONDS", defaults.webhook_retry_max_seconds, 0.01, 7 * 86400
            ),
            webhook_disable_after_failures=reader.integer(
                "WEBHOOK_DISABLE_AFTER_FAILURES", defaults.webhook_disable_after_failures, 1
            ),
            cost_budget=reader.integer("COST_BUDGET", defaults.cost_budget, 0),
            cost_budget_restore_rate=reader.integer(
                "COST_BUDGET_RESTORE_RATE", defaults.cost_budget_restore_rate, 1
            ),
            subscriptions_per_connection=reader.integer(
                "SUBSCRIPTIONS_PER_CONNECTION", defaults.subscriptions_per_connection, 1
            ),
            subscription_connections_per_caller=reader.integer(
                "SUBSCRIPTION_CONNECTIONS_PER_CALLER",
                defaults.subscription_connections_per_caller,
                1,
            ),
            subscription_ping_seconds=reader.seconds(
                "SUBSCRIPTION_PING_SECONDS", defaults.subscription_ping_seconds, 0.1, 3600
            ),
            subscription_init_timeout_seconds=reader.seconds(
                "SUBSCRIPTION_INIT_TIMEOUT_SECONDS",
                defaults.subscription_init_timeout_seconds,
                0.1,
                3600,
            ),
            subscription_queue_size=reader.integer(
                "SUBSCRIPTION_QUEUE_SIZE", defaults.subscription_queue_size, 1
            ),
            log_level=reader.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO"),
        )
        return settings.validated()

    def validated(self) -> Settings:
        """Cross-field checks shared by from_env() and settings built in code (tests)."""
        if self.media_url.startswith("s3://") and not urlsplit(self.media_url).netloc:
            raise SettingsError("MEDIA_URL", "s3:// needs a bucket name, e.g. s3://agora-media")
        if self.media_url.startswith("file://") and not self.media_url[len("file://") :]:
            raise SettingsError("MEDIA_URL", "file:// needs a directory, e.g. file://var/media")
        unprocessable = set(self.media_image_types) - set(IMAGE_TYPES_PROCESSED)
        if unprocessable:
            raise SettingsError(
                "MEDIA_IMAGE_TYPES",
                f"the worker resizes only {', '.join(IMAGE_TYPES_PROCESSED)}; "
                f"got {', '.join(sorted(unprocessable))}",
            )
        for name, cap in (
            ("MEDIA_IMAGE_MAX_BYTES", self.media_image_max_bytes),
            ("MEDIA_VIDEO_MAX_BYTES", self.media_video_max_bytes),
        ):
            if not 1 <= cap <= MAX_OBJECT_BYTES:
                raise SettingsError(name, f"must be from 1 to {MAX_OBJECT_BYTES}; got {cap}")
        if not 1 <= self.media_private_url_seconds <= MAX_SIGNED_URL_SECONDS:
            raise SettingsError(
                "MEDIA_PRIVATE_URL_SECONDS",
                f"must be from 1 to {MAX_SIGNED_URL_SECONDS}; got {self.media_private_url_seconds}",
            )
        if 0 < self.cost_budget < self.max_query_cost:
            raise SettingsError(
                "COST_BUDGET",
                f"must be 0 (off) or at least the maximum query cost {self.max_query_cost}",
            )
        if self.is_production and self.secret_key == DEVELOPMENT_SECRET_KEY:
            raise SettingsError("SECRET_KEY", "production refuses the development secret key")
        if self.webhook_retry_max_seconds < self.webhook_retry_base_seconds:
            raise SettingsError(
                "WEBHOOK_RETRY_MAX_SECONDS", "must be at least WEBHOOK_RETRY_BASE_SECONDS"
            )
        return self

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes).validated()  # type: ignore[arg-type]


class _Reader:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.env.get(name) or default
        if value not in allowed:
            raise SettingsError(name, f"must be one of {', '.join(allowed)}; got {value!r}")
        return value

    def url(self, name: str, schemes: tuple[str, ...], default: str) -> str:
        value = self.env.get(name) or default
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in schemes:
            expected = ", ".join(f"{s}://" for s in schemes)
            raise SettingsError(name, f"must start with one of {expected}; got {value!r}")
        if scheme == "postgresql":  # tortoise knows the scheme as postgres://
            value = "postgres://" + value.split("://", 1)[1]
        if scheme in ("postgres", "postgresql", "redis", "rediss"):
            _check_server_url(name, value)
        return value

    def optional_url(self, name: str, schemes: tuple[str, ...]) -> str | None:
        if not self.env.get(name):
            return None
        return self.url(name, schemes, "")

    def boolean(self, name: str, default: bool) -> bool:
        raw = self.env.get(name)
        if raw is None or raw == "":
            return default
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise SettingsError(name, f"must be true or false; got {raw!r}")

    def integer(self, name: str, default: int, minimum: int) -> int:
        raw = self.env.get(name)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(name, f"must be a whole number; got {raw!r}") from None
        if value < minimum:
            raise SettingsError(name, f"must be at least {minimum}; got {value}")
        return value

    def seconds(self, name: str, default: float, minimum: float, maximum: float) -> float:
        raw = self.env.get(name)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise SettingsError(name, f"must be a number of seconds; got {raw!r}") from None
        if not minimum <= value <= maximum:  # also refuses nan; inf is above any maximum
            raise SettingsError(name, f"must be from {minimum:g} to {maximum:g}; got {raw!r}")
        return value

    def origins(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        raw = self.env.get(name)
        if not raw:
            return default
        origins = tuple(_origin(name, item.strip()) for item in raw.split(","))
        if "*" in origins and len(origins) > 1:
            raise SettingsError(name, "* already allows every origin; list nothing else with it")
        return origins

    def content_types(self, name: str, kind: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """A comma-separated list of `kind/subtype` media types, lower-cased."""
        raw = self.env.get(name)
        if not raw:
            return default
        found = tuple(dict.fromkeys(item.strip().lower() for item in raw.split(",")))
        for item in found:
            top, _, subtype = item.partition("/")
            if top != kind or not _TOKEN.fullmatch(subtype):
                raise SettingsError(name, f"each entry must be a {kind}/… type; got {item!r}")
        return found

    def secret_key(self, production: bool) -> str:
        value = self.env.get("SECRET_KEY")
        if not value:
            if production:
                raise SettingsError("SECRET_KEY", "must be set in production")
            return DEVELOPMENT_SECRET_KEY
        if len(value) < 32:
            raise SettingsError("SECRET_KEY", "must be at least 32 characters long")
        return value


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(name: str, value: str) -> str:
    """One CORS origin, `*` or `scheme://host[:port]`, in the form browsers send in `Origin`.

    CORSMiddleware compares origins as strings, so a trailing slash or an upper-case host would
    silently never match: they are refused or normalised here instead.
    """
    if value == "*":
        return value
    parts = urlsplit(value)
    problem = _origin_problem(parts)
    if problem is not None:
        raise SettingsError(name, f"{problem}; got {value!r}")
    netloc = parts.netloc.lower()
    if parts.port == _DEFAULT_PORTS[parts.scheme]:  # browsers leave the default port out
        netloc = netloc.rsplit(":", 1)[0]
    return f"{parts.scheme}://{netloc}"


def _origin_problem(parts: SplitResult) -> str | None:
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return "each origin must be * or http(s)://host[:port]"
    if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        return "an origin is scheme://host[:port] only, without path, user or trailing slash"
    if "*" in parts.netloc:
        return "wildcard hosts are not supported; list each origin"
    try:
        parts.port  # noqa: B018  # urlsplit checks the port only when asked for it
    except ValueError:
        return "an origin's port must be a number from 0 to 65535"
    return None


def _check_server_url(name: str, value: str) -> None:
    """A server URL needs a host, and a port that is a number (checked here, not at connect)."""
    try:
        parts = urlsplit(value)
        port = parts.port  # reading it is what makes urlsplit check it
    except ValueError as exc:
        raise SettingsError(name, f"is not a valid URL ({exc}); got {_redacted(value)!r}") from None
    if not parts.hostname and "host=" not in parts.query:  # ?host=/socket/dir is a host
        raise SettingsError(name, f"names no host; got {_redacted(value)!r}")
    if port == 0:
        raise SettingsError(name, f"port 0 is not a server's port; got {_redacted(value)!r}")


def _redacted(value: str) -> str:
    head, at, tail = value.rpartition("@")
    return f"{head.split('://', 1)[0]}://***@{tail}" if at else value
