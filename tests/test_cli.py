"""The operator command line, run as real processes against the test database."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from strawberry import relay

from main import main, serve_notes
from models.accounts import Role, User
from resolvers.principal import Scope
from resolvers.seed import DEMO_PASSWORD
from settings import Settings
from tests.conftest import Backend
from tests.factories import MakeUser
from tests.utils import GraphQLClient

ROOT = Path(__file__).resolve().parent.parent


def run_cli(backend: Backend, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": backend.settings.database_url,
        "REDIS_URL": backend.settings.redis_url,
        "MEDIA_URL": "file://var/cli-test-media",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_token_create_list_revoke(
    running: Backend, gql: GraphQLClient, make_user: MakeUser
) -> None:
    owner = await make_user(role=Role.CREATOR, handle="ops_owner")

    created = run_cli(
        running,
        "token",
        "create",
        "--owner",
        "ops_owner",
        "--app",
        "warehouse",
        "--scope",
        "read:account",
    )
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert (await gql.data("{ viewer { email } }", token=token)) == {
        "viewer": {"email": owner.email}
    }

    listed = run_cli(running, "token", "list", "--owner", "ops_owner")
    assert token[:8] in listed.stdout
    assert "warehouse" in listed.stdout
    token_id = created.stdout.split()[1]
    revoked = run_cli(running, "token", "revoke", token_id)
    assert revoked.returncode == 0, revoked.stderr
    assert (await gql.post("{ viewer { id } }", token=token)).status == 401


async def test_token_revoke_takes_the_id_the_api_shows(
    running: Backend, gql: GraphQLClient, make_user: MakeUser
) -> None:
    await make_user(role=Role.CREATOR, handle="ops_global")
    created = run_cli(running, "token", "create", "--owner", "ops_global", "--app", "stats")
    token = created.stdout.strip().splitlines()[-1]
    global_id = relay.to_base64("AppToken", created.stdout.split()[1])

    wrong_type = run_cli(running, "token", "revoke", relay.to_base64("User", "1"))
    revoked = run_cli(running, "token", "revoke", global_id)
    again = run_cli(running, "token", "revoke", global_id)

    assert wrong_type.returncode == 2
    assert "is not an AppToken id or a number" in wrong_type.stderr
    assert revoked.returncode == 0, revoked.stderr
    assert (await gql.post("{ viewer { id } }", token=token)).status == 401
    assert again.returncode == 1
    assert "No such active token" in again.stdout


async def test_token_create_refuses_scopes_beyond_the_role(
    running: Backend, make_user: MakeUser
) -> None:
    await make_user(role=Role.SHOPPER, handle="plain_shopper")

    result = run_cli(
        running,
        "token",
        "create",
        "--owner",
        "plain_shopper",
        "--app",
        "x",
        "--scope",
        "write:commerce",
    )

    assert result.returncode == 1
    assert "cannot get more than its owner" in result.stderr


async def test_user_create_reads_the_password_from_stdin(running: Backend) -> None:
    result = run_cli(
        running,
        "user",
        "create",
        "--email",
        "root@example.com",
        "--handle",
        "root_admin",
        "--role",
        "admin",
        stdin="a-long-admin-passphrase\n",
    )

    assert result.returncode == 0, result.stderr
    user = await User.get(handle="root_admin")
    assert user.role is Role.ADMIN
    assert "a-long-admin-passphrase" not in user.password_hash


def test_bad_setting_stops_the_command_with_its_name() -> None:
    env = {**os.environ, "REDIS_URL": "localhost"}
    result = subprocess.run(
        [sys.executable, "main.py", "migrate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "REDIS_URL" in result.stderr


def test_help_runs_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "serve", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0
    assert "usage: python main.py serve" in result.stdout


def help_of(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


# Each command's help says what it does, what it touches and its defaults; the snippets are
# the parts an operator looks for.
HELP = {
    (): ["serve", "worker", "migrate", "seed", "user", "documents", "token", "environment"],
    ("serve",): ["(default: 127.0.0.1)", "(default: 8000)", "(default: 1)", "GraphiQL"],
    ("worker",): ["REDIS_URL", "unpaid orders", "refunds", "--burst"],
    ("migrate",): ["DATABASE_URL", "bucket"],
    ("makemigrations",): ["models/migrations"],
    ("seed",): ["(default: demo)", "(default: 2000)", "agora-demo-pass", "production"],
    ("export-schema",): ["schema.graphql"],
    ("user",): ["create"],
    ("user", "create"): ["stdin", "(default: shopper)", "moderator"],
    ("documents",): ["register"],
    ("documents", "register"): ["all are registered or none", "documentId"],
    ("token",): ["create", "list", "revoke", "app_tokens"],
    ("token", "create"): [*(scope.value for scope in Scope), "(default: 90)", "(default: cli)"],
    ("token", "list"): ["--owner", "never a token"],
    ("token", "revoke"): ["QXBwVG9rZW46MTI=", "token list"],
}


@pytest.mark.parametrize("command", list(HELP), ids=lambda c: " ".join(c) or "main")
def test_help_is_written_for_operators(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    text = help_of(capsys, *command)

    assert text.startswith(f"usage: python main.py {' '.join(command)}".rstrip())
    for snippet in HELP[command]:
        assert snippet in text, snippet
    assert "(default: None)" not in text  # says nothing to an operator
    assert "(default: False)" not in text


def test_serve_notes_say_where_graphiql_is_and_how_to_sign_in() -> None:
    notes = " ".join(serve_notes(Settings(), "0.0.0.0", 8123))

    # A wildcard address is shown as one a browser can open.
    assert "GraphiQL at http://127.0.0.1:8123/graphql" in notes
    assert "chef_ana@agora.test" in notes
    assert DEMO_PASSWORD in notes
    assert serve_notes(Settings(seed_demo=False), "::1", 80) == [
        "GraphiQL at http://[::1]:80/graphql"
    ]
    production = Settings(environment="production", secret_key="p" * 40, seed_demo=False)
    assert serve_notes(production, "10.0.0.5", 8000) == [
        "GraphQL API at http://10.0.0.5:8000/graphql (GraphiQL is off in production)"
    ]


async def test_documents_register_from_files(
    running: Backend, gql: GraphQLClient, tmp_path: Path
) -> None:
    good = tmp_path / "viewer.graphql"
    good.write_text("query Viewer { viewer { id } }\n")
    bad = tmp_path / "broken.graphql"
    bad.write_text("query Broken { viewer { nope } }")

    refused = run_cli(running, "documents", "register", str(good), str(bad))
    registered = run_cli(running, "documents", "register", str(good))

    assert refused.returncode == 1
    assert f"({bad})" in refused.stderr
    assert "Cannot query field 'nope'" in refused.stderr
    assert registered.returncode == 0, registered.stderr
    document_id = "sha256:" + hashlib.sha256(good.read_bytes()).hexdigest()
    assert registered.stdout.split() == [document_id, str(good)]
    ran = await gql.send({"documentId": document_id})
    assert ran.data == {"viewer": None}


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgres://postgres:secret@127.0.0.1:1/agora", "connection refused"),
        ("postgres://postgres:postgres@127.0.0.1:5432/agora_no_such_db", "agora_no_such_db"),
        ("postgres://postgres:secret@no-such-host.invalid:5432/agora", "unknown host"),
    ],
)
@pytest.mark.parametrize("command", [("worker", "--burst"), ("migrate",), ("serve", "--port", "0")])
def test_an_unusable_database_is_one_line_naming_database_url(
    url: str, reason: str, command: tuple[str, ...]
) -> None:
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": "memory://", "LOG_LEVEL": "ERROR"}

    done = subprocess.run(
        [sys.executable, "main.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    assert done.stderr.startswith("Database error: DATABASE_URL (postgres://postgres:***@")
    assert reason in done.stderr
    assert "Traceback" not in done.stderr
    assert "secret" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
