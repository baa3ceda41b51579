"""Domain packages export what others call, no more (pure `ast`: no imports, no app start).

A resolver package's public surface is its `__init__` (`__all__`), its `loaders` module and its
`errors` module. Code outside the package uses only those; nothing imports a `_private` name
from another module of this project.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Where other packages' names are used: every first-party module but the models and storage.
CALLERS = ("schema", "resolvers", "tests", "bench", "main.py")
FIRST_PARTY = {"schema", "resolvers", "models", "storage", "tests", "bench", "main", "settings"}
PUBLIC_MODULES = {"loaders", "errors"}
PACKAGES = sorted(p.parent.name for p in (ROOT / "resolvers").glob("*/__init__.py"))


def _files(*roots: str) -> Iterator[Path]:
    for root in roots:
        path = ROOT / root
        if path.suffix == ".py":
            yield path
            continue
        for file in sorted(path.rglob("*.py")):
            if "node_modules" not in file.parts and "migrations" not in file.parts:
                yield file


@cache
def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _source(path: Path, node: ast.ImportFrom) -> str:
    """The absolute module an ImportFrom reads from (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    here = _module_of(path).split(".")
    base = here if path.name == "__init__.py" else here[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _package_of(module: str) -> str | None:
    """`carts` for resolvers.carts and resolvers.carts.<anything>, else None."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "resolvers" and parts[1] in PACKAGES:
        return parts[1]
    return None


def _submodules(package: str) -> set[str]:
    return {p.stem for p in (ROOT / "resolvers" / package).glob("*.py")} - {"__init__"}


def _exported(package: str) -> list[str]:
    tree = _parsed(ROOT / "resolvers" / package / "__init__.py")
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            assert isinstance(node.value, ast.List | ast.Tuple)
            return [ast.literal_eval(element) for element in node.value.elts]
    raise AssertionError(f"resolvers/{package}/__init__.py has no __all__")


class _Use:
    """What code outside each resolver package takes from it, and how."""

    def __init__(self) -> None:
        self.names: defaultdict[str, set[str]] = defaultdict(set)
        self.submodule_imports: list[str] = []

    def scan(self, path: Path) -> None:
        module = _module_of(path)
        tree = _parsed(path)
        aliases: dict[str, str] = {}  # local name -> package, for `from resolvers import carts`
        imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
        for node in imports:
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    package = _package_of(alias.name)
                    if package is None or _package_of(module) == package:
                        continue
                    rest = alias.name.split(".")[2:]
                    if rest and rest[0] not in PUBLIC_MODULES:
                        self.submodule_imports.append(f"{where}: import {alias.name}")
                    elif not rest and alias.asname:
                        aliases[alias.asname] = package
                continue
            source = _source(path, node)
            if source == "resolvers":
                for alias in node.names:
                    if alias.name in PACKAGES and _package_of(module) != alias.name:
                        aliases[alias.asname or alias.name] = alias.name
                continue
            package = _package_of(source)
            if package is None or _package_of(module) == package:
                continue
            rest = source.split(".")[2:]
            names = [alias.name for alias in node.names]
            if rest and rest[0] not in PUBLIC_MODULES:
                self.submodule_imports.append(f"{where}: from {source} import {', '.join(names)}")
            elif not rest:
                for name in names:
                    if name in _submodules(package) - PUBLIC_MODULES:
                        self.submodule_imports.append(f"{where}: from {source} import {name}")
                    self.names[package].add(name)
        for expr in ast.walk(tree):
            if (
                isinstance(expr, ast.Attribute)
                and isinstance(expr.value, ast.Name)
                and expr.value.id in aliases
            ):
                package = aliases[expr.value.id]
                if expr.attr in _submodules(package) - PUBLIC_MODULES:
                    where = f"{path.relative_to(ROOT)}:{expr.lineno}"
                    self.submodule_imports.append(f"{where}: {expr.value.id}.{expr.attr}")
                self.names[package].add(expr.attr)


@cache
def _use() -> _Use:
    use = _Use()
    for path in _files(*CALLERS):
        use.scan(path)
    return use


@pytest.mark.parametrize("package", PACKAGES)
def test_package_exports_only_names_used_outside_it(package: str) -> None:
    unused = sorted(set(_exported(package)) - _use().names[package])
    assert not unused, (
        f"resolvers.{package}.__all__ lists names nothing outside the package uses "
        f"(drop them from its __init__): {unused}"
    )


def test_no_module_imports_a_private_name_from_another() -> None:
    found = []
    for path in _files(*CALLERS, "models", "storage", "settings.py"):
        for node in ast.walk(_parsed(path)):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _source(path, node)
            if source.split(".")[0] not in FIRST_PARTY:
                continue  # third-party internals are that project's business
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {source}.{alias.name}")
    assert not found, (
        "private names imported from another module (drop the underscore if the package "
        f"shares it, or export it if other packages do): {found}"
    )


def test_other_code_uses_a_resolver_package_not_its_submodules() -> None:
    found = _use().submodule_imports
    assert not found, (
        "code outside a resolver package reaches into its modules; import from the package, "
        f"or its loaders or errors module: {found}"
    )


def test_the_scan_sees_the_packages_in_use() -> None:
    """Guards the scan itself: every resolver package has callers outside it."""
    assert PACKAGES
    for package in PACKAGES:
        assert _use().names[package], package
