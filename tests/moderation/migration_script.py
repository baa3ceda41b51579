"""Run by test_migration.py in its own process (tortoise's state is global): migrate a scratch
database to 0018, write review reports the old way, migrate on, print what became of them."""

from __future__ import annotations

import asyncio
import json
import sys

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from main import database_config
from models.accounts import User
from models.catalog import Merchant, Product
from models.reviews import Review, ReviewStatus
from settings import Settings


async def main(database_url: str) -> None:
    settings = Settings(environment="development", database_url=database_url)
    config = database_config(settings, migrating=True)
    await migrate(config=config, target="models.0018_notifications")
    await Tortoise.close_connections()
    await Tortoise.init(config=database_config(settings))
    users = [
        await User.create(
            email=f"u{n}@example.com", handle=f"u{n}", display_name=f"U{n}", password_hash="x"
        )
        for n in range(4)
    ]
    merchant = await Merchant.create(owner=users[0], name="M", slug="m")
    product = await Product.create(merchant=merchant, title="P", slug="p")
    shown = await Review.create(product=product, author=users[0], rating=1, report_count=2)
    hidden = await Review.create(
        product=product, author=users[1], rating=2, report_count=1, status=ReviewStatus.HIDDEN
    )
    db = Tortoise.get_connection("default")
    for review, reporter, reason in (
        (shown, users[2], "spam"),
        (shown, users[3], "rude"),
        (hidden, users[2], "fake"),
    ):
        await db.execute_query(
            "INSERT INTO review_reports (review_id, reporter_id, reason, created_at, updated_at)"
            " VALUES ($1, $2, $3, now(), now())",
            [review.id, reporter.id, reason],
        )
    await Tortoise.close_connections()
    await migrate(config=config)
    await Tortoise.close_connections()
    await Tortoise.init(config=database_config(settings))
    db = Tortoise.get_connection("default")
    _, items = await db.execute_query(
        "SELECT target_kind, target_id, status, report_count, open_report_count"
        " FROM moderation_items ORDER BY target_id"
    )
    _, reports = await db.execute_query(
        "SELECT r.target_kind, r.target_id, r.reporter_id, r.reason, r.status, i.target_id AS item"
        " FROM reports r JOIN moderation_items i ON i.id = r.item_id ORDER BY r.id"
    )
    _, old = await db.execute_query(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'review_reports'"
    )
    await Tortoise.close_connections()
    ids = {"shown": shown.id, "hidden": hidden.id, "reporters": [u.id for u in users]}
    sys.stdout.write(
        json.dumps(
            {
                "ids": ids,
                "items": [dict(row) for row in items],
                "reports": [dict(row) for row in reports],
                "old_table": old[0]["n"],
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
