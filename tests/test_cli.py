"""The operator command line, run as real processes against the test database."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.accounts import Role, User
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


@pytest.mark.parametrize("command", [["serve", "--help"], ["seed", "--help"], ["worker", "--help"]])
def test_commands_document_themselves(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "main.py", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0
    assert "usage: python main.py" in result.stdout


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
