"""App.webhookSubscriptions (schema/apps.py calls it lazily: this package imports that module)."""

from __future__ import annotations

from resolvers.pagination import paginate_list
from resolvers.webhooks.loaders import subscriptions_by_app
from schema.base import Info
from schema.pagination import Connection, page_args, to_connection
from schema.webhooks.types import WebhookSubscription

PageArguments = tuple[int | None, str | None, int | None, str | None]


async def subscriptions(
    info: Info, app_id: int, paging: PageArguments
) -> Connection[WebhookSubscription]:
    rows = await info.context.loaders[subscriptions_by_app].load(app_id)
    return to_connection(paginate_list(rows, page_args(*paging)), WebhookSubscription.from_model)
