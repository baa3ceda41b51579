"""Per-request DataLoaders that each domain declares for itself.

A domain declares its loaders once, at module level, as `LoaderSpec`s (usually in its
`loaders.py`): `product_by_id = by_id(Product)`. A request reaches one through its context,
`ctx.loaders[product_by_id]`, which creates it on first use. So adding a domain adds a file,
never an edit to a central list, and a request builds only the loaders it uses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from typing import Any, Generic, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

K = TypeVar("K")
V = TypeVar("V")
M = TypeVar("M", bound=Model)


class LoaderSpec(Generic[K, V]):
    """How to batch-load one relation: one query per batch, results in key order."""

    __slots__ = ("batch", "name")

    def __init__(self, name: str, batch: Callable[[list[K]], Awaitable[Sequence[V]]]) -> None:
        self.name = name
        self.batch = batch

    def __repr__(self) -> str:
        return f"LoaderSpec({self.name!r})"


class Loaders:
    """One set per request: their caches must never outlive it."""

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[LoaderSpec[Any, Any], DataLoader[Any, Any]] = {}

    def __getitem__(self, spec: LoaderSpec[K, V]) -> DataLoader[K, V]:
        loader = self._made.get(spec)
        if loader is None:
            loader = self._made[spec] = DataLoader(load_fn=spec.batch)
        return loader


def by_id(model: type[M]) -> LoaderSpec[int, M | None]:
    async def load(ids: list[int]) -> list[M | None]:
        rows = await model.filter(id__in=ids)
        found = {row.pk: row for row in rows}
        return [found.get(key) for key in ids]

    return LoaderSpec(f"{model.__name__}.by_id", load)


def grouped(
    model: type[M], key_field: str, *, order_by: Sequence[str] = ("id",)
) -> LoaderSpec[int, list[M]]:
    """All rows whose `key_field` is each key, e.g. every app of each owner."""

    async def load(keys: list[int]) -> list[list[M]]:
        rows = await model.filter(**{f"{key_field}__in": keys}).order_by(*order_by)
        grouped_rows: defaultdict[int, list[M]] = defaultdict(list)
        for row in rows:
            grouped_rows[getattr(row, key_field)].append(row)
        return [grouped_rows[key] for key in keys]

    return LoaderSpec(f"{model.__name__}.by_{key_field}", load)


def forget(loader: DataLoader[Any, Any], key: Any) -> None:
    """Drop a cached key after a write; strawberry's clear() raises if it was never loaded."""
    with suppress(KeyError):
        loader.clear(key)
