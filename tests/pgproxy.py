"""A TCP proxy in front of PostgreSQL that a test can break: refuse, drop or freeze connections.

The shared cluster on 127.0.0.1:5432 is other people's too, so outage tests never stop it; they
point an app at this proxy instead and break the proxy. It runs its own event loop in a daemon
thread, so it keeps forwarding while the test blocks (waiting for a subprocess, a sync client).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar

T = TypeVar("T")
Mode = Literal["pass", "refuse", "freeze"]


class PostgresProxy:
    def __init__(self, upstream_host: str = "127.0.0.1", upstream_port: int = 5432) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.accepted = 0  # client connections taken, for tests that want to see the pool work
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._flowing: asyncio.Event | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    # ---- control, from the test's thread --------------------------------------------------------

    def start(self) -> int:
        self._thread.start()
        self._call(self._start())
        return self.port

    def set_mode(self, mode: Mode) -> None:
        """pass: forward; refuse: nothing listens (connection refused) and open connections are
        cut, as when the server is down; freeze: connections are accepted and kept, but no byte
        moves either way, as with a hung server or a black-holed network."""
        self._call(self._set_mode(mode))

    def drop(self) -> None:
        """Cut every open connection, as a server restart does; new ones still work."""
        self._call(self._drop())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._call(self._set_mode("refuse"))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    # ---- the proxy, on its own loop -------------------------------------------------------------

    async def _start(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        await self._listen()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _set_mode(self, mode: Mode) -> None:
        assert self._flowing is not None
        if mode == "freeze":
            self._flowing.clear()
        else:
            self._flowing.set()
        if mode == "refuse":
            if self._server is not None:
                self._server.close()
                await self._server.wait_closed()
                self._server = None
            await self._drop()
        elif self._server is None:
            await self._listen()  # the same port: asyncio sets SO_REUSEADDR

    async def _drop(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _serve(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        assert self._flowing is not None
        self.accepted += 1
        self._writers.add(client)
        try:
            await self._flowing.wait()  # frozen: the connection is accepted, then nothing
            upstream_reader, upstream = await asyncio.open_connection(*self.upstream)
        except OSError:
            client.transport.abort()
            self._writers.discard(client)
            return
        self._writers.add(upstream)
        await asyncio.gather(
            self._pump(client_reader, upstream), self._pump(upstream_reader, client)
        )
        for writer in (client, upstream):
            writer.transport.abort()
            self._writers.discard(writer)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert self._flowing is not None
        try:
            while data := await reader.read(65536):
                await self._flowing.wait()
                writer.write(data)
                await writer.drain()
        except (OSError, RuntimeError):
            pass  # the other side went away, or drop() cut this one
        finally:
            writer.transport.abort()
