"""Agora: create_app(settings) -> Starlette, its lifespan and routes, and the command line.

This is the only module that knows every piece; everything else gets what it needs passed in.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import sys
import textwrap
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeAlias, TypedDict

from saq import CronJob, Worker
from saq.queue.base import Queue
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route, WebSocketRoute
from strawberry import relay
from strawberry.schema import BaseSchema
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise

from models import MODEL_MODULES
from resolvers import events, jobs, notifications, subscriptions, webhooks
from resolvers import seed as seeding
from resolvers.context import Services
from resolvers.principal import Scope
from schema import Limits, build_schema
from schema.apq import PersistedQueries
from schema.http import (
    AuthenticatedGraphQL,
    GraphQLView,
    RequestContextMiddleware,
    TrustedDocuments,
    cors,
    healthz,
    readyz,
)
from schema.social import share_redirect
from schema.subscriptions import SubscriptionView
from settings import Settings, SettingsError
from storage.cache import Keys, open_redis
from storage.database import (
    DatabaseTimeouts,
    database_problem,
    enable_statement_counting,
    tortoise_config,
)
from storage.media import S3Options, Storage, open_storage
from storage.queue import open_queue

log = logging.getLogger("agora")


class State(TypedDict):
    services: Services
    subscriptions: subscriptions.Hub  # the WebSocket's one Redis listener (schema.subscriptions)


# ---- wiring -----------------------------------------------------------------------------------


def limits_of(settings: Settings) -> Limits:
    return Limits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_cost=settings.max_query_cost,
        max_page_size=settings.max_page_size,
        introspection=settings.introspection,
    )


def database_config(settings: Settings, *, migrating: bool = False) -> dict[str, Any]:
    timeouts = DatabaseTimeouts(
        connect=settings.database_connect_timeout_seconds,
        # A migration's statement (a CREATE INDEX on a big table) may rightly take minutes.
        statement=None if migrating else settings.database_statement_timeout_seconds,
        pool=settings.database_pool_timeout_seconds,
    )
    return tortoise_config(settings.database_url, MODEL_MODULES, timeouts)


def storage_of(settings: Settings) -> Storage:
    s3 = None
    if settings.media_url.startswith("s3://"):
        s3 = S3Options(
            bucket=settings.media_url[len("s3://") :].strip("/"),
            endpoint_url=settings.s3_endpoint_url,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            region=settings.s3_region,
            public_url=settings.s3_public_url,
        )
    return open_storage(
        settings.media_url, s3=s3, secret_key=settings.secret_key, public_url=settings.public_url
    )


# saq's sweep can catch a job between its dequeue and its "active" mark and abort it. Our
# workers sweep before they dequeue (AgoraWorker), which closes that window within one worker;
# another worker's sweep can still hit it, so jobs, all idempotent, may retry.
JOB_RETRIES = 3
# A job that failed because the database was down would fail again at once (three attempts
# used to be spent within milliseconds). saq waits a random part (full jitter) of
# JOB_RETRY_DELAY_SECONDS before the first retry, of twice that before the second, and so on up
# to the cap: the attempts spread over an outage of tens of seconds.
JOB_RETRY_DELAY_SECONDS = 10.0
JOB_RETRY_MAX_DELAY_SECONDS = 60.0


@dataclasses.dataclass
class RetryingCronJob(CronJob[Any]):
    """A CronJob whose jobs back off between retries.

    saq's CronJob has no retry_delay or retry_backoff, but its worker enqueues each cron job
    with every field of the CronJob as a Job field, so fields added here reach the Job.
    """

    retries: int | None = JOB_RETRIES
    retry_delay: float = JOB_RETRY_DELAY_SECONDS
    retry_backoff: bool | float = JOB_RETRY_MAX_DELAY_SECONDS


def cron_jobs() -> list[CronJob[Any]]:
    return [
        RetryingCronJob(jobs.purge_dead_credentials, cron="17 * * * *"),
        # It reconciles open payment attempts first: provider calls, as retry_refunds makes.
        RetryingCronJob(jobs.expire_unpaid_orders, cron="* * * * *", timeout=300),
        RetryingCronJob(jobs.purge_stale_carts, cron="41 3 * * *"),
        # 25 provider calls of at most 10 s each (resolvers/orders/refunds.py) fit with room.
        RetryingCronJob(jobs.retry_refunds, cron="*/5 * * * *", timeout=300),
        # Also run by expire_unpaid_orders first; the two overlapping is harmless (each
        # attempt's outcome is recorded by one conditional update).
        RetryingCronJob(jobs.reconcile_payments, cron="* * * * *", timeout=300),
        # Up to 100 deletions and 100 resumed images; each image is seconds at most.
        RetryingCronJob(jobs.purge_abandoned_uploads, cron="*/10 * * * *", timeout=600),
        # Every minute: a scheduled post goes out within a minute of its publishAt.
        RetryingCronJob(jobs.publish_due_posts, cron="* * * * *"),
        # Every minute: share-link clicks reach PostgreSQL within a minute or so.
        RetryingCronJob(jobs.flush_share_clicks, cron="* * * * *"),
        # Every 5 seconds (croniter's sixth field): an event whose kick was lost (or whose
        # request died after its commit) waits at most that long for the relay.
        RetryingCronJob(jobs.relay_events, cron="* * * * * */5", timeout=300),
        RetryingCronJob(jobs.prune_events, cron="29 * * * *", timeout=300),
        # Every 5 seconds: webhook retries that are due, and deliveries whose job was lost.
        RetryingCronJob(jobs.dispatch_webhooks, cron="* * * * * */5", timeout=300),
        RetryingCronJob(jobs.prune_webhook_deliveries, cron="47 * * * *", timeout=300),
        # The trending ranking's snapshot (resolvers/feeds/trending.py) lives an hour.
        RetryingCronJob(jobs.refresh_trending, cron="*/5 * * * *", timeout=300),
    ]


def make_worker(
    queue: Queue,
    *,
    in_process: bool,
    burst: bool = False,
    storage: Storage | None = None,
    settings: Settings | None = None,
) -> Worker[Any]:
    notifications.register_consumers()  # the relay this worker runs feeds them
    jobs.register_consumers(queue, settings or Settings())  # post.published: fan-out jobs
    webhooks.register_consumers()
    # Inside the web process the server owns SIGINT/SIGTERM; the worker must not take them.
    worker_class = _InProcessWorker if in_process else AgoraWorker

    async def startup(ctx: dict[str, Any]) -> None:
        ctx["storage"] = storage  # what the media jobs read and write (resolvers/jobs.py)
        ctx["settings"] = settings  # the webhook policy (timeouts, retries) of this deployment
        if settings is not None:
            ctx["event_retention"] = timedelta(days=settings.event_retention_days)

    if burst:
        # One job at a time: with several, an idle slot ends the burst and stop() cancels a
        # job still running in another. With one, nothing is mid-job when the burst ends.
        return worker_class(
            queue,
            functions=jobs.JOBS,
            burst=True,
            concurrency=1,
            dequeue_timeout=1.0,
            startup=startup,
            before_process=_record_events,
            after_process=_kick_relay,
        )
    return worker_class(
        queue,
        functions=jobs.JOBS,
        cron_jobs=cron_jobs(),
        startup=startup,
        before_process=_record_events,
        after_process=_kick_relay,
    )


async def _record_events(ctx: dict[str, Any]) -> None:
    # A job that records events (an order expired, a scheduled post out) kicks the relay
    # once it is done, as requests do (schema/http.py).
    ctx["events_recorded"] = events.start_recording()


async def _kick_relay(ctx: dict[str, Any]) -> None:
    if ctx.get("events_recorded"):
        await events.kick(ctx["worker"].queue)


class AgoraWorker(Worker[Any]):
    async def start(self) -> None:
        # saq starts its sweep and its dequeue loops together, and a sweep that reads a job just
        # moved to the active list, still marked queued, aborts it. Sweeping first means this
        # worker's own dequeues cannot race it; the sweep lock then skips the upkeep's first run.
        await self.queue.sweep()
        await super().start()


class _InProcessWorker(AgoraWorker):
    SIGNALS: list[Any] = []


async def migrate_database(settings: Settings) -> None:
    from tortoise.migrations.api import migrate

    await migrate(config=database_config(settings, migrating=True))
    await Tortoise.close_connections()


# ---- the app ----------------------------------------------------------------------------------


def create_app(settings: Settings) -> Starlette:
    schema = build_schema(limits_of(settings))
    storage = storage_of(settings)
    if settings.count_sql:
        enable_statement_counting()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        if settings.auto_migrate:
            await migrate_database(settings)
        async with RegisterTortoise(app, config=database_config(settings)):
            # Requests wait at most REDIS_TIMEOUT_SECONDS on Redis; the queue keeps open_redis's
            # longer timeouts on its own client.
            redis = open_redis(settings.redis_url, timeout=settings.redis_timeout_seconds)
            queue = open_queue(open_redis(settings.redis_url), settings.redis_prefix)
            services = Services(
                settings=settings,
                redis=redis,
                keys=Keys(settings.redis_prefix),
                storage=storage,
                queue=queue,
            )
            hub = subscriptions.Hub(
                redis_factory=lambda: open_redis(settings.redis_url),
                channel=events.channel(settings.redis_prefix),
                queue_size=settings.subscription_queue_size,
            )
            hub.start()
            # Not waited for long: with Redis down the API still serves, and subscribers are
            # told SERVICE_UNAVAILABLE until the hub connects.
            await hub.wait_listening(settings.redis_timeout_seconds)
            worker_task = None
            if settings.seed_demo:
                await seeding.seed_demo(storage=storage)
            if settings.run_worker_in_process:
                await queue.connect()
                worker = make_worker(queue, in_process=True, storage=storage, settings=settings)
                worker_task = asyncio.create_task(worker.start())
            try:
                yield {"services": services, "subscriptions": hub}
            finally:
                await hub.stop()
                if worker_task is not None:
                    worker_task.cancel()
                    await asyncio.gather(worker_task, return_exceptions=True)
                with contextlib.suppress(Exception):
                    await queue.disconnect()
                await redis.aclose()
                await storage.close()

    return Starlette(
        routes=routes(settings, schema, storage), middleware=middleware(settings), lifespan=lifespan
    )


def middleware(settings: Settings) -> list[Middleware]:
    # Outermost first: request ids wrap CORS, so answers to preflights carry X-Request-ID too.
    return [
        Middleware(RequestContextMiddleware, count_sql=settings.count_sql),
        cors(settings.cors_origins, count_sql=settings.count_sql),
    ]


def routes(settings: Settings, schema: BaseSchema, storage: Storage) -> list[BaseRoute]:
    view = GraphQLView(
        schema,
        graphql_ide=None if settings.is_production else "graphiql",
        allow_queries_via_get=True,
        multipart_uploads_enabled=False,
    )
    return [
        Route(
            "/graphql",
            AuthenticatedGraphQL(TrustedDocuments(PersistedQueries(view))),
            methods=["GET", "POST"],
        ),
        # Subscriptions: graphql-transport-ws on the same path (docs/subscriptions.md).
        WebSocketRoute("/graphql", SubscriptionView(schema, settings)),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        # ShareLink.url; GET counts a click, HEAD (link unfurlers) does not.
        Route("/s/{code}", share_redirect, methods=["GET", "HEAD"]),
        *storage.routes(),
    ]


def app_from_env() -> Starlette:
    """uvicorn's factory: settings come from the environment, read once."""
    settings = Settings.from_env()
    configure_logging(settings)
    return create_app(settings)


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def __getattr__(name: str) -> Any:
    # `tortoise -c main.TORTOISE_ORM makemigrations` reads the config lazily from here.
    if name == "TORTOISE_ORM":
        return database_config(Settings.from_env())
    raise AttributeError(name)


# ---- command line -----------------------------------------------------------------------------


DESCRIPTION = """\
Agora, a headless GraphQL commerce backend: run the API and its job worker, migrate the
database, load demo data, and manage users, app tokens and trusted documents.

Every command reads its settings from the environment (DATABASE_URL, REDIS_URL, MEDIA_URL,
ENVIRONMENT, ...; see README.md, Configuration). Run `python main.py COMMAND --help` for one
command: what it does, what it touches, and its defaults."""
SCOPES = ", ".join(scope.value for scope in Scope)
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python main.py", description=DESCRIPTION, formatter_class=_Formatter
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_serving(commands)
    _add_data(commands)
    _add_user(commands)
    _add_documents(commands)
    _add_token(commands)
    return parser


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions keep their line breaks; options show their default where they have one.

    ArgumentDefaultsHelpFormatter would also print "(default: None)" for required options
    and "(default: False)" for flags, which tells an operator nothing.
    """

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "default" not in text:
            text += " (default: %(default)s)"
        return text


def _command(
    commands: Subcommands, name: str, summary: str, details: str
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name, help=summary, description=f"{summary}.\n\n{details}", formatter_class=_Formatter
    )


def _add_serving(commands: Subcommands) -> None:
    serve = _command(
        commands,
        "serve",
        "Run the HTTP API (POST /graphql, /healthz, /readyz) with uvicorn",
        "In development it also applies migrations, loads the demo data and runs the job\n"
        "worker inside the process (AUTO_MIGRATE, SEED_DEMO, RUN_WORKER_IN_PROCESS), and\n"
        "serves GraphiQL at /graphql; its start-up log says where, and how to sign in.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (dev)")
    serve.add_argument(
        "--workers", type=int, default=1, help="server processes (ignored with --reload)"
    )
    worker = _command(
        commands,
        "worker",
        "Run the background job worker",
        "Takes jobs from the Redis queue (REDIS_URL, REDIS_PREFIX) and works on the database:\n"
        "cancels unpaid orders past their 30 minutes (every minute), retries owed refunds\n"
        "(every 5 minutes), publishes scheduled posts when due (every minute), fans new\n"
        "posts out to their followers' home feeds (FEED_* settings), deletes\n"
        "sessions and app tokens long expired or revoked (hourly) and anonymous carts idle\n"
        "for 30 days (daily); makes uploaded images' variants and deletes deleted media's\n"
        "files (MEDIA_URL), and removes abandoned uploads (every 10 minutes). Run one or more\n"
        "beside `serve` in production.",
    )
    worker.add_argument("--burst", action="store_true", help="stop once the queue is empty")


def _add_data(commands: Subcommands) -> None:
    _command(
        commands,
        "migrate",
        "Apply pending database migrations",
        "Brings DATABASE_URL up to date (safe to re-run) and creates the S3 bucket of\n"
        "MEDIA_URL if it is missing. Production runs this before starting `serve`.",
    )
    _command(
        commands,
        "makemigrations",
        "Write a migration for model changes (developers)",
        "Compares models/ with the existing migrations and writes a new file under\n"
        "models/migrations. Touches no data.",
    )
    seed = _command(
        commands,
        "seed",
        "Load demo or benchmark data into the database",
        "Does nothing when the profile is already there. demo: the accounts, catalog,\n"
        f"orders and reviews of README.md (each demo user signs in as <handle>@agora.test,\n"
        f"password {seeding.DEMO_PASSWORD}). bench: --users creators with one app each.\n"
        "Never for a production database.",
    )
    seed.add_argument(
        "--profile", choices=("demo", "bench"), default="demo", help="which data to load"
    )
    seed.add_argument("--users", type=int, default=2000, help="users of the bench profile")
    _command(
        commands,
        "export-schema",
        "Print the GraphQL schema (SDL) to stdout",
        "Touches nothing; CI compares it with schema.graphql.",
    )


def _add_user(commands: Subcommands) -> None:
    user = _command(
        commands, "user", "Manage users", "Writes to the users table of DATABASE_URL."
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    create = _command(
        user,
        "create",
        "Create a user, e.g. the first admin",
        "The password is the first line of stdin, so it stays out of shell history and\n"
        'process lists: echo "$PASSWORD" | python main.py user create ...',
    )
    create.add_argument("--email", required=True, help="sign-in email")
    create.add_argument("--handle", required=True, help="public handle")
    create.add_argument(
        "--role",
        default="shopper",
        choices=("shopper", "creator", "merchant", "moderator", "admin"),
        help="what the user may do",
    )


def _add_documents(commands: Subcommands) -> None:
    docs = _command(
        commands,
        "documents",
        "Manage trusted documents (operations clients may send by id)",
        "Writes to the trusted_documents table of DATABASE_URL.",
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    register = _command(
        docs,
        "register",
        "Register operations, one file each (its exact text)",
        "Each file must validate against the schema; all are registered or none. Prints\n"
        '`<id>  <file>` per file; clients send {"documentId": "<id>"} instead of a query.',
    )
    register.add_argument("files", nargs="+", type=Path, help="one .graphql file per operation")


def _add_token(commands: Subcommands) -> None:
    token = _command(
        commands,
        "token",
        "Manage app tokens (aga_...) for third-party apps",
        "Writes to the apps and app_tokens tables of DATABASE_URL.",
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    create = _command(
        token,
        "create",
        "Issue a token for a user's app, creating the app if needed",
        "A new app gets the given scopes, never more than the owner's role allows; an\n"
        "existing app keeps its own. The token is printed once; only its hash is stored.\n\n"
        + textwrap.fill(f"Scopes: {SCOPES}.", 80),
    )
    create.add_argument("--owner", required=True, help="handle of the owning user")
    create.add_argument("--app", required=True, help="app name (the owner's app of that name)")
    create.add_argument(
        "--scope",
        action="append",
        choices=[scope.value for scope in Scope],
        metavar="SCOPE",
        help="a scope of a new app; repeat for more (default: read:content)",
    )
    create.add_argument("--name", default="cli", help="token name, shown in listings")
    create.add_argument("--days", type=int, default=90, help="days until it expires (1-366)")
    listing = _command(
        token,
        "list",
        "List app tokens, newest first",
        "Shows id, owner, app, name, hint, expiry, revocation and last use; never a token.",
    )
    listing.add_argument("--owner", help="only this user's tokens (a handle)")
    revoke = _command(
        token,
        "revoke",
        "Revoke an app token at once",
        "Its next request gets HTTP 401. Exits 1 when no such active token exists.",
    )
    revoke.add_argument(
        "id",
        type=app_token_id,
        help="the token's id as the API shows it (e.g. QXBwVG9rZW46MTI=) or as `token list` does",
    )


def app_token_id(value: str) -> int:
    """The number inside an AppToken global id, or a plain number (argparse type)."""
    if value.isdigit():
        return int(value)
    try:
        global_id = relay.GlobalID.from_id(value)
    except ValueError:
        global_id = None
    if global_id is None or global_id.type_name != "AppToken" or not global_id.node_id.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not an AppToken id or a number")
    return int(global_id.node_id)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    if args.command not in ("export-schema", "makemigrations"):
        problem = asyncio.run(database_problem(database_config(settings), settings.database_url))
        if problem is not None:
            print(f"Database error: {problem}", file=sys.stderr)
            return 1
    if args.command == "serve":
        return serve(args, settings)
    if args.command == "export-schema":
        print(build_schema(limits_of(settings)).as_str())
        return 0
    if args.command == "makemigrations":
        from tortoise.cli.cli import CLIContext, makemigrations

        asyncio.run(makemigrations(CLIContext("main.TORTOISE_ORM", None), (), False, None))
        return 0
    return asyncio.run(run_command(args, settings))


def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    for note in serve_notes(settings, args.host, args.port):
        log.info("%s", note)
    uvicorn.run(
        "main:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        workers=None if args.reload else args.workers,
        access_log=False,
    )
    return 0


def serve_notes(settings: Settings, host: str, port: int) -> list[str]:
    """What `serve` logs at start-up: where to open the API, and how to sign in to the demo."""
    # A wildcard address is where the server listens, not one a browser can open.
    shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    url = f"http://{f'[{shown}]' if ':' in shown else shown}:{port}/graphql"
    if settings.is_production:
        notes = [f"GraphQL API at {url} (GraphiQL is off in production)"]
    else:
        notes = [f"GraphiQL at {url}"]
    if settings.seed_demo:
        handles = ", ".join(user.handle for user in seeding.DEMO_USERS)
        notes.append(
            "Demo data is on: sign in (the login mutation) as <handle>@agora.test with password "
            f"{seeding.DEMO_PASSWORD}, e.g. chef_ana@agora.test; handles: {handles}"
        )
    return notes


async def run_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "migrate":
        await migrate_with_progress(settings)
        return 0
    async with RegisterTortoise(Starlette(), config=database_config(settings)):
        if args.command == "worker":
            return await run_worker(settings, burst=args.burst)
        if args.command == "seed":
            return await seed(args, settings)
        if args.command == "user":
            return await user_command(args)
        if args.command == "documents":
            return await documents_command(args, settings)
        return await token_command(args)


async def migrate_with_progress(settings: Settings) -> None:
    from rich.console import Console
    from tortoise.migrations.api import migrate

    console = Console()

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            console.print(f"  applied [cyan]{app_label}.{name}[/]")

    with console.status("Applying migrations"):
        await migrate(config=database_config(settings, migrating=True), progress=progress)
    await Tortoise.close_connections()
    storage = storage_of(settings)
    ensure_bucket = getattr(storage, "ensure_bucket", None)
    if ensure_bucket is not None:
        await ensure_bucket()
    await storage.close()
    console.print("[green]Database is up to date.[/]")


async def run_worker(settings: Settings, *, burst: bool) -> int:
    queue = open_queue(open_redis(settings.redis_url), settings.redis_prefix)
    storage = storage_of(settings)
    await queue.connect()
    try:
        worker = make_worker(
            queue, in_process=False, burst=burst, storage=storage, settings=settings
        )
        await worker.start()
    finally:
        await queue.disconnect()
        await storage.close()
    return 0


async def seed(args: argparse.Namespace, settings: Settings) -> int:
    from rich.progress import Progress

    with Progress() as progress:
        if args.profile == "demo":
            task = progress.add_task("Loading demo data", total=seeding.demo_steps())
            storage = storage_of(settings)  # the demo posts' images go where uploads go
            try:
                loaded = await seeding.seed_demo(lambda n: progress.advance(task, n), storage)
            finally:
                await storage.close()
        else:
            task = progress.add_task("Loading benchmark data", total=args.users)
            loaded = await seeding.seed_bench(args.users, lambda n: progress.advance(task, n))
    print("Loaded." if loaded else f"The {args.profile} profile was already loaded.")
    if args.profile == "demo":
        print(f"Demo accounts: <handle>@agora.test, password {seeding.DEMO_PASSWORD!r}")
    return 0


async def user_command(args: argparse.Namespace) -> int:
    from models.accounts import Role
    from resolvers import operators
    from resolvers.errors import DomainError

    password = sys.stdin.readline().rstrip("\n")
    try:
        user = await operators.create_user(
            email=args.email, handle=args.handle, password=password, role=Role(args.role)
        )
    except DomainError as exc:
        print(f"Not created: {exc.message}", file=sys.stderr)
        return 1
    print(f"Created user {user.handle} ({user.role.value}), id {user.id}.")
    return 0


async def token_command(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from resolvers import operators
    from resolvers.errors import DomainError

    if args.action == "create":
        try:
            issued = await operators.create_token(
                owner_handle=args.owner,
                app_name=args.app,
                scopes=args.scope or ["read:content"],
                name=args.name,
                days=args.days,
            )
        except DomainError as exc:
            print(f"Not created: {exc.message}", file=sys.stderr)
            return 1
        print(f"Token {issued.record.id} (shown once, store it now):\n{issued.token}")
        return 0
    if args.action == "revoke":
        revoked = await operators.revoke_token(args.id)
        print("Revoked." if revoked else "No such active token.")
        return 0 if revoked else 1
    table = Table("id", "owner", "app", "name", "hint", "expires", "revoked", "last used", box=None)
    for row in await operators.list_tokens(args.owner):
        table.add_row(
            str(row.id),
            row.owner,
            row.app,
            row.name,
            row.hint + "…",
            _when(row.expires_at),
            _when(row.revoked_at),
            _when(row.last_used_at),
        )
    # Wide enough not to wrap when piped, so scripts can grep the output.
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    return 0


def _when(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


async def documents_command(args: argparse.Namespace, settings: Settings) -> int:
    from resolvers.documents import store_documents
    from resolvers.errors import InvalidInput
    from schema.documents import document_checker

    files: list[Path] = args.files
    try:
        bodies = [path.read_text(encoding="utf-8") for path in files]
    except OSError as exc:
        print(f"Not registered: {exc}", file=sys.stderr)
        return 1
    checker = document_checker(build_schema(limits_of(settings))._schema)
    try:
        ids = await store_documents(bodies, checker, registered_by_id=None)
    except InvalidInput as exc:
        where = exc.field or "documents"
        if where.startswith("documents["):  # name the file, not its position
            where = str(files[int(where[len("documents[") : -1])])
        print(f"Not registered ({where}): {exc.message}", file=sys.stderr)
        return 1
    for identifier, path in zip(ids, files, strict=True):
        print(f"{identifier}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
