"""What is committed matches the code: the SDL file and the migrations."""

from __future__ import annotations

from pathlib import Path

from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector

from main import limits_of
from schema import build_schema
from settings import Settings
from tests.conftest import Backend

ROOT = Path(__file__).resolve().parent.parent


def test_schema_graphql_is_current() -> None:
    exported = build_schema(limits_of(Settings())).as_str()

    committed = (ROOT / "schema.graphql").read_text()

    assert committed.strip() == exported.strip(), (
        "schema.graphql is stale: run `python main.py export-schema > schema.graphql`"
    )


async def test_models_have_no_unmigrated_changes(running: Backend) -> None:
    config = {
        "models": {"models": ["models.accounts", "models.apps"], "migrations": "models.migrations"}
    }
    detector = MigrationAutodetector(Tortoise.apps, config)

    changes = await detector.changes()

    assert changes == [], "model changes without a migration: run `python main.py makemigrations`"
