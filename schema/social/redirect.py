"""`GET /s/<code>`: the share link's own URL (`ShareLink.url`), for browsers and unfurlers.

It counts the click exactly as `resolveShareLink` does (the same resolver: the per-address
limit, the Redis counter the worker flushes, PostgreSQL when Redis is down) and redirects
(302) to the target's page on the storefront with `?share=<code>`, which the frontend carries
into `addCartLine(attribution: {shareCode})`. Whoever opens it is anonymous here (a browser
following a link sends no bearer token), so a target only members or its author may see is a
404, as an unknown code is, and counts nothing. HEAD, which link unfurlers send, answers the
same without counting a click or spending the limit.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from resolvers import social
from resolvers.context import Context
from resolvers.errors import InvalidInput, NotFound, RateLimited
from resolvers.principal import ANONYMOUS
from storage.database import is_database_unavailable

log = logging.getLogger("agora.http")

RETRY_AFTER_SECONDS = 5
NO_STORE = {"Cache-Control": "no-store"}  # each open is a click: no cache may answer for us


async def share_redirect(request: Request) -> Response:
    ctx = Context(
        request=request,
        request_id=request.state.request_id,
        principal=ANONYMOUS,
        services=request.state.services,
    )
    code = request.path_params["code"]
    try:
        link, target = await social.resolve_share_link(ctx, code, count=request.method != "HEAD")
    except (NotFound, InvalidInput):
        return PlainTextResponse("No such share link.\n", 404, headers=NO_STORE)
    except RateLimited as exc:
        headers = {**NO_STORE, "Retry-After": str(exc.retry_after_seconds)}
        return PlainTextResponse(exc.message + "\n", 429, headers=headers)
    except Exception as exc:
        if not is_database_unavailable(exc):
            raise
        log.warning("database unavailable (request %s): %r", ctx.request_id, exc)
        headers = {**NO_STORE, "Retry-After": str(RETRY_AFTER_SECONDS)}
        return PlainTextResponse("Unavailable; retry in a few seconds.\n", 503, headers=headers)
    url = social.storefront_url(ctx.settings, link, target)
    return RedirectResponse(url, 302, headers=NO_STORE)
