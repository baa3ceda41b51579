"""Posting GraphQL through the real ASGI app, and reading what came back."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
from saq import Job
from saq.queue.base import Queue
from strawberry import relay


def gid(type_name: str, pk: int | str) -> str:
    """The Relay global id of a row: what `id` fields return and ID arguments take."""
    return str(relay.GlobalID(type_name, str(pk)))


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: dict[str, Any]
    sql: int
    request_id: str

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return list(self.body.get("errors") or [])

    @property
    def codes(self) -> list[str | None]:
        return [error.get("extensions", {}).get("code") for error in self.errors]


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        body = {"query": query, "variables": variables or {}}
        return await self.send(body, token=token, headers=headers)

    async def send(
        self,
        body: dict[str, Any],
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """POST any request body (e.g. a `documentId` instead of a `query`)."""
        sent = dict(headers or {})
        if token is not None:
            sent["authorization"] = f"Bearer {token}"
        reply = await self.http.post("/graphql", json=body, headers=sent)
        return Response(
            status=reply.status_code,
            body=reply.json(),
            sql=int(reply.headers.get("x-sql-statements", "-1")),
            request_id=reply.headers.get("x-request-id", ""),
        )

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> Any:
        """The `data` of a response that must have no errors."""
        response = await self.post(query, variables, token=token)
        assert response.status == 200, response.body
        assert not response.errors, response.errors
        return response.data


async def run_job(queue: Queue, function: str, *, storage: Any = None) -> Job:
    """Enqueue a job on the real queue and drain it with a burst worker; the finished job.

    Media jobs need the app's `storage` (services.storage), as the real worker has it.
    """
    from main import JOB_RETRIES, make_worker  # the app module, imported once tests need it

    await queue.connect()
    job = await queue.enqueue(function, retries=JOB_RETRIES)
    assert job is not None
    worker = make_worker(queue, in_process=True, burst=True, storage=storage)
    await asyncio.wait_for(worker.start(), 30)
    await job.refresh()
    return job
