"""Migration 0019 moves the review reports into the one moderation queue, their data kept."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from pathlib import Path

import asyncpg

from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]


async def test_review_reports_move_into_the_queue() -> None:
    name = f"agora_migration_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(f"{POSTGRES_URL}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.moderation.migration_script",
            f"{POSTGRES_URL}/{name}",
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        assert process.returncode == 0, err.decode()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    result = json.loads(out.decode().strip().splitlines()[-1])
    shown, hidden = result["ids"]["shown"], result["ids"]["hidden"]
    _, _, third, fourth = result["ids"]["reporters"]

    assert result["items"] == [
        {
            "target_kind": "review",
            "target_id": shown,
            "status": "open",
            "report_count": 2,
            "open_report_count": 2,
        },
        # Its review hidden already: the moderators acted on it.
        {
            "target_kind": "review",
            "target_id": hidden,
            "status": "actioned",
            "report_count": 1,
            "open_report_count": 0,
        },
    ]
    assert result["reports"] == [
        {
            "target_kind": "review",
            "target_id": shown,
            "reporter_id": third,
            "reason": "spam",
            "status": "open",
            "item": shown,
        },
        {
            "target_kind": "review",
            "target_id": shown,
            "reporter_id": fourth,
            "reason": "rude",
            "status": "open",
            "item": shown,
        },
        {
            "target_kind": "review",
            "target_id": hidden,
            "reporter_id": third,
            "reason": "fake",
            "status": "actioned",
            "item": hidden,
        },
    ]
    assert result["old_table"] == 0
