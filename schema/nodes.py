"""One way to resolve Relay nodes, and it respects visibility.

Every Node type derives from `VisibleNode` and says, in `load_visible`, how its domain's
`visible_<noun>s(ctx, ids)` rule (in resolvers/) turns ids into the objects the caller may
see. `node(id:)`, `nodes(ids:)` and the domain's own root queries all go through it, so no
path shows what the caller may not see.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Self, TypeVar

from strawberry import relay

from resolvers.errors import InvalidInput
from schema.base import Info, parse_global_id

R = TypeVar("R")
N = TypeVar("N")


class VisibleNode(relay.Node):
    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> Sequence[Self | None]:
        """The objects with these primary keys that the caller may see, None for the rest."""
        raise NotImplementedError(f"{cls.__name__} must say who may see it")

    @classmethod
    async def load_one(cls, info: Info, pk: int) -> Self | None:
        return (await cls.load_visible(info, [pk]))[0]

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return list(await cls.load_visible(info, [int(node_id) for node_id in node_ids]))


def build_each(rows: Sequence[R | None], build: Callable[[R], N]) -> list[N | None]:
    return [build(row) if row is not None else None for row in rows]


def _node_type(info: Info, value: str, argument: str) -> tuple[type[VisibleNode], int]:
    parsed = parse_global_id(value)
    found: Any = info.schema.get_type_by_name(parsed[0]) if parsed else None
    origin = getattr(found, "origin", None)
    if parsed is None or not (isinstance(origin, type) and issubclass(origin, VisibleNode)):
        raise InvalidInput(argument, f"`{argument}`: {value!r} is not an id this API issued.")
    return origin, parsed[1]


async def resolve_global_ids(
    info: Info, values: Sequence[str], argument: str
) -> list[VisibleNode | None]:
    """Objects by global id, in order; one batch per type, None where not visible."""
    parsed = [_node_type(info, value, argument) for value in values]
    by_type: defaultdict[type[VisibleNode], list[int]] = defaultdict(list)
    for node_type, pk in parsed:
        by_type[node_type].append(pk)
    types = list(by_type)
    batches = await asyncio.gather(*(t.load_visible(info, by_type[t]) for t in types))
    found = {
        (node_type, pk): node
        for node_type, batch in zip(types, batches, strict=True)
        for pk, node in zip(by_type[node_type], batch, strict=True)
    }
    return [found[key] for key in parsed]
