"""The worker, driven for real: a job enqueued on Redis is run by a burst worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models.accounts import Session
from tests.factories import SignIn
from tests.utils import run_job

pytestmark = pytest.mark.smoke


async def test_purge_job_deletes_only_long_dead_credentials(services: Any, sign_in: SignIn) -> None:
    live = await sign_in()
    long_expired = await sign_in(expires_in=timedelta(days=-40))
    recently_expired = await sign_in(expires_in=timedelta(days=-1))
    long_revoked = await sign_in()
    await Session.filter(user_id=long_revoked.user.id).update(
        revoked_at=datetime.now(UTC) - timedelta(days=31)
    )

    job = await run_job(services.queue, "purge_dead_credentials")

    assert job.status == "complete", job.error
    assert job.result == {"sessions": 2, "app_tokens": 0}
    remaining = set(await Session.all().values_list("user_id", flat=True))
    assert remaining == {live.user.id, recently_expired.user.id}
    assert long_expired.user.id not in remaining
