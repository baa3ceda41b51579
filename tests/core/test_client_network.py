"""Per-address limits count an IPv4 address, or a whole IPv6 /64."""

from __future__ import annotations

from typing import Any, cast

import pytest
from starlette.requests import Request

from resolvers.context import Context
from resolvers.principal import ANONYMOUS


def _context(host: str | None) -> Context:
    scope: dict[str, Any] = {"type": "http", "client": (host, 1234) if host else None}
    return Context(
        request=Request(scope),
        request_id="r",
        principal=ANONYMOUS,
        services=cast("Any", None),
    )


@pytest.mark.parametrize(
    ("host", "network"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("testclient", "testclient"),  # not an address: used as it is
        (None, "unknown"),
    ],
)
def test_client_network(host: str | None, network: str) -> None:
    assert _context(host).client_network == network
