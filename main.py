"""Agora: create_app(settings) -> Starlette, its lifespan and routes, and the command line.

This is the only module that knows every piece; everything else gets what it needs passed in.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any, TypedDict

from saq import CronJob, Worker
from saq.queue.base import Queue
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route
from strawberry.schema import BaseSchema
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise

from models import MODEL_MODULES
from resolvers import jobs
from resolvers import seed as seeding
from resolvers.context import Services
from schema import Limits, build_schema
from schema.http import (
    AuthenticatedGraphQL,
    GraphQLView,
    RequestContextMiddleware,
    TrustedDocuments,
    cors,
    healthz,
    readyz,
)
from settings import Settings, SettingsError
from storage.cache import Keys, open_redis
from storage.database import enable_statement_counting, tortoise_config
from storage.media import S3Options, Storage, open_storage
from storage.queue import open_queue

log = logging.getLogger("agora")


class State(TypedDict):
    services: Services


# ---- wiring -----------------------------------------------------------------------------------


def limits_of(settings: Settings) -> Limits:
    return Limits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_cost=settings.max_query_cost,
        max_page_size=settings.max_page_size,
    )


def database_config(settings: Settings) -> dict[str, Any]:
    return tortoise_config(settings.database_url, MODEL_MODULES)


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


def cron_jobs() -> list[CronJob[Any]]:
    return [
        CronJob(jobs.purge_dead_credentials, cron="17 * * * *", retries=JOB_RETRIES),
        CronJob(jobs.expire_unpaid_orders, cron="* * * * *", retries=JOB_RETRIES),
        CronJob(jobs.purge_stale_carts, cron="41 3 * * *", retries=JOB_RETRIES),
        # 25 provider calls of at most 10 s each (resolvers/orders/refunds.py) fit with room.
        CronJob(jobs.retry_refunds, cron="*/5 * * * *", retries=JOB_RETRIES, timeout=300),
    ]


def make_worker(queue: Queue, *, in_process: bool, burst: bool = False) -> Worker[Any]:
    # Inside the web process the server owns SIGINT/SIGTERM; the worker must not take them.
    worker_class = _InProcessWorker if in_process else AgoraWorker
    if burst:
        # One job at a time: with several, an idle slot ends the burst and stop() cancels a
        # job still running in another. With one, nothing is mid-job when the burst ends.
        return worker_class(
            queue, functions=jobs.JOBS, burst=True, concurrency=1, dequeue_timeout=1.0
        )
    return worker_class(queue, functions=jobs.JOBS, cron_jobs=cron_jobs())


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

    await migrate(config=database_config(settings))
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
            redis = open_redis(settings.redis_url)
            queue = open_queue(open_redis(settings.redis_url), settings.redis_prefix)
            services = Services(
                settings=settings,
                redis=redis,
                keys=Keys(settings.redis_prefix),
                storage=storage,
                queue=queue,
            )
            worker_task = None
            if settings.seed_demo:
                await seeding.seed_demo()
            if settings.run_worker_in_process:
                await queue.connect()
                worker_task = asyncio.create_task(make_worker(queue, in_process=True).start())
            try:
                yield {"services": services}
            finally:
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
        Route("/graphql", AuthenticatedGraphQL(TrustedDocuments(view)), methods=["GET", "POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python main.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.add_argument("--workers", type=int, default=1)

    commands.add_parser("migrate", help="apply database migrations (and create the S3 bucket)")
    commands.add_parser("makemigrations", help="write a migration for model changes")
    worker = commands.add_parser("worker", help="run the background job worker")
    worker.add_argument("--burst", action="store_true", help="stop when the queue is empty")

    seed = commands.add_parser("seed", help="load demo or benchmark data")
    seed.add_argument("--profile", choices=("demo", "bench"), default="demo")
    seed.add_argument("--users", type=int, default=2000, help="bench profile size")

    commands.add_parser("export-schema", help="print the GraphQL SDL (CI diffs schema.graphql)")

    user = commands.add_parser("user", help="manage users").add_subparsers(
        dest="action", required=True
    )
    create_user = user.add_parser("create", help="create a user; the password is read from stdin")
    create_user.add_argument("--email", required=True)
    create_user.add_argument("--handle", required=True)
    create_user.add_argument(
        "--role",
        default="shopper",
        choices=("shopper", "creator", "merchant", "moderator", "admin"),
    )

    docs = commands.add_parser("documents", help="trusted documents").add_subparsers(
        dest="action", required=True
    )
    register = docs.add_parser(
        "register", help="register operations, one file each (its exact text); prints the ids"
    )
    register.add_argument("files", nargs="+", type=Path)

    token = commands.add_parser("token", help="manage app tokens").add_subparsers(
        dest="action", required=True
    )
    create = token.add_parser("create", help="issue a token (creating the app if needed)")
    create.add_argument("--owner", required=True, help="handle of the owning user")
    create.add_argument("--app", required=True, help="app name")
    create.add_argument("--scope", action="append", default=[], help="repeat for each scope")
    create.add_argument("--name", default="cli", help="token name")
    create.add_argument("--days", type=int, default=90)
    listing = token.add_parser("list", help="list tokens")
    listing.add_argument("--owner", help="only this user's tokens")
    revoke = token.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("id", type=int)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    if args.command == "serve":
        return serve(args)
    if args.command == "export-schema":
        print(build_schema(limits_of(settings)).as_str())
        return 0
    if args.command == "makemigrations":
        from tortoise.cli.cli import CLIContext, makemigrations

        asyncio.run(makemigrations(CLIContext("main.TORTOISE_ORM", None), (), False, None))
        return 0
    return asyncio.run(run_command(args, settings))


def serve(args: argparse.Namespace) -> int:
    import uvicorn

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


async def run_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "migrate":
        await migrate_with_progress(settings)
        return 0
    async with RegisterTortoise(Starlette(), config=database_config(settings)):
        if args.command == "worker":
            return await run_worker(settings, burst=args.burst)
        if args.command == "seed":
            return await seed(args)
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
        await migrate(config=database_config(settings), progress=progress)
    await Tortoise.close_connections()
    storage = storage_of(settings)
    ensure_bucket = getattr(storage, "ensure_bucket", None)
    if ensure_bucket is not None:
        await ensure_bucket()
    await storage.close()
    console.print("[green]Database is up to date.[/]")


async def run_worker(settings: Settings, *, burst: bool) -> int:
    queue = open_queue(open_redis(settings.redis_url), settings.redis_prefix)
    await queue.connect()
    try:
        await make_worker(queue, in_process=False, burst=burst).start()
    finally:
        await queue.disconnect()
    return 0


async def seed(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    with Progress() as progress:
        if args.profile == "demo":
            task = progress.add_task("Loading demo data", total=seeding.demo_steps())
            loaded = await seeding.seed_demo(lambda n: progress.advance(task, n))
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
        where = exc.field
        if where.startswith("documents["):  # name the file, not its position
            where = str(files[int(where[len("documents[") : -1])])
        print(f"Not registered ({where}): {exc.message}", file=sys.stderr)
        return 1
    for identifier, path in zip(ids, files, strict=True):
        print(f"{identifier}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
