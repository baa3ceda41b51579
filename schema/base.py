"""Shared schema helpers: the typed Info, and decoding Relay global ids from arguments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry import relay

from resolvers.context import Context
from resolvers.errors import InvalidInput

Info = strawberry.Info[Context, None]


MAX_PRIMARY_KEY = 2**63 - 1  # primary keys are BIGINT: a larger number can match no row


def parse_global_id(value: str) -> tuple[str, int] | None:
    """The type name and primary key inside a global id this API issued, else None."""
    try:
        global_id = relay.GlobalID.from_id(value)
        pk = int(global_id.node_id)
    except ValueError:
        return None
    return (global_id.type_name, pk) if 0 < pk <= MAX_PRIMARY_KEY else None


def describe_values(enum: Any, descriptions: Mapping[str, str]) -> None:
    """Describe each value of an enum made with `strawberry.enum(...)`, by member name.

    For enums defined outside schema/ (models, resolvers), whose members cannot carry
    `strawberry.enum_value`. Every member must be described, and only members.
    """
    values = enum.__strawberry_definition__.values
    names = {value.name for value in values}
    if names != set(descriptions):
        raise ValueError(f"{enum.__name__}: describe exactly {sorted(names)}")
    for value in values:
        value.description = descriptions[value.name]


def decode_id(value: strawberry.ID | str, type_name: str, *, field: str) -> int:
    """The primary key inside a global id of `type_name`; InvalidInput names the argument."""
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != type_name:
        raise InvalidInput(field, f"`{field}` must be the id of a {type_name}.")
    return parsed[1]
