"""Strings the database cannot store are refused before execution: U+0000 (NUL).

A GraphQL string may hold any Unicode scalar value, NUL included (`"\\u0000"` in a literal or a
JSON variable), but PostgreSQL `text` and `varchar` cannot: the driver fails with "invalid byte
sequence for encoding UTF8: 0x00" in whatever query first carries the value, after the
resolver's own checks passed, which the client saw as a masked internal error. No argument of
this API has a use for NUL, so rather than teach every check about it, every string in a request
is checked once, before anything runs: literals by a validation rule (`RefuseNul`, cached with the
document), variables (defaults included) where they are coerced (`nul_errors`, called from
schema/coercion.py). Either is a request error coded BAD_USER_INPUT naming the argument or the
variable, and costs no SQL. That covers every String and ID, at any depth of a list or input
object. The other text PostgreSQL's UTF-8 cannot hold, lone surrogates, never gets this far: the
JSON parser refuses them (schema/http.py) and a GraphQL literal cannot spell one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    GraphQLError,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValidationRule,
    ValueNode,
)

NUL = "\x00"


def _message(name: str, where: str) -> str:
    return (
        f"{name} contains U+0000 (NUL){f' at {where}' if where else ''}; no string may: "
        "it cannot be stored."
    )


def nul_path(value: Any, path: str = "") -> str | None:
    """Where in a coerced variable value a string holds NUL (`""` for the value itself, else
    e.g. `[0].sku`), or None if none does."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, Mapping):
        items: Any = ((f"{path}.{key}", item) for key, item in value.items())
    elif isinstance(value, list | tuple):
        items = ((f"{path}[{index}]", item) for index, item in enumerate(value))
    else:
        return None
    for where, item in items:
        found = nul_path(item, where)
        if found is not None:
            return found
    return None


def nul_errors(variables: Mapping[str, Any]) -> list[GraphQLError]:
    """A request error for each coerced variable holding NUL anywhere."""
    errors = []
    for name, value in variables.items():
        where = nul_path(value)
        if where is not None:
            errors.append(
                GraphQLError(
                    _message(f"Variable `${name}`", where.removeprefix(".")),
                    extensions={"code": "BAD_USER_INPUT", "variable": name},
                )
            )
    return errors


def _literal_nul_path(node: ValueNode, path: str = "") -> str | None:
    if isinstance(node, StringValueNode):
        return path if NUL in node.value else None
    if isinstance(node, ListValueNode):
        for index, item in enumerate(node.values):
            found = _literal_nul_path(item, f"{path}[{index}]")
            if found is not None:
                return found
    if isinstance(node, ObjectValueNode):
        for object_field in node.fields:
            found = _literal_nul_path(object_field.value, f"{path}.{object_field.name.value}")
            if found is not None:
                return found
    return None  # variables are checked with their values; other literals hold no string


class RefuseNul(ValidationRule):
    """No string literal in an argument, at any depth, may contain NUL."""

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        where = _literal_nul_path(node.value)
        if where is not None:
            name = node.name.value
            self.report_error(
                GraphQLError(
                    _message(f"`{name}`", where.removeprefix(".")),
                    [node],
                    extensions={"code": "BAD_USER_INPUT", "argument": name},
                )
            )
