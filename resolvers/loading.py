"""DataLoader builders: one query per batch, results in key order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from contextlib import suppress
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

M = TypeVar("M", bound=Model)


def by_id_loader(model: type[M]) -> DataLoader[int, M | None]:
    async def load(ids: list[int]) -> list[M | None]:
        rows = await model.filter(id__in=ids)
        found = {row.pk: row for row in rows}
        return [found.get(key) for key in ids]

    return DataLoader(load_fn=load)


def grouped_loader(
    model: type[M], key_field: str, *, order_by: Sequence[str] = ("id",)
) -> DataLoader[int, list[M]]:
    """All rows whose `key_field` is each key, e.g. every app of each owner."""

    async def load(keys: list[int]) -> list[list[M]]:
        rows = await model.filter(**{f"{key_field}__in": keys}).order_by(*order_by)
        grouped: defaultdict[int, list[M]] = defaultdict(list)
        for row in rows:
            grouped[getattr(row, key_field)].append(row)
        return [grouped[key] for key in keys]

    return DataLoader(load_fn=load)


def forget(loader: DataLoader[Any, Any], key: Any) -> None:
    """Drop a cached key after a write; strawberry's clear() raises if it was never loaded."""
    with suppress(KeyError):
        loader.clear(key)
