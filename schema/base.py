"""Shared schema helpers: the typed Info, and decoding Relay global ids from arguments."""

from __future__ import annotations

import strawberry
from strawberry import relay

from resolvers.context import Context
from resolvers.errors import InvalidInput

Info = strawberry.Info[Context, None]


def decode_id(value: strawberry.ID | str, type_name: str, *, field: str) -> int:
    """The primary key inside a global id of `type_name`; InvalidInput names the argument."""
    try:
        global_id = relay.GlobalID.from_id(value)
        if global_id.type_name != type_name:
            raise ValueError(global_id.type_name)
        return int(global_id.node_id)
    except ValueError:
        raise InvalidInput(field, f"Expected the id of a {type_name}.") from None
