"""Every root Query field, called with ids that are missing, of the wrong type or not ids at all.

Generic: the fields, their arguments and a minimal selection come from the schema the app
serves, so a new root field is covered without editing this file. Bad input may get a null, a
typed error or a BAD_USER_INPUT, never a server failure: HTTP < 500 and no error coded
INTERNAL_SERVER_ERROR, for an anonymous caller, a signed-in shopper and an admin.

ID arguments (top-level, in lists and in input objects, required or not) all get the same kind
of bad id in one call:

- missing: a well-formed global id of the type the argument names (`merchantId`: Merchant;
  `id` of `product`: Product; `id` of `node`: each Node type in turn) whose pk does not exist;
- out_of_range: the same with a pk no database key column can hold (2**63);
- wrong_type: the global id of a real object of another type (for `node`, a type that is no
  Node at all);
- not_base64: a string that is no base64 at all.

Required non-ID arguments get a value of their type (enums: the first value; input objects: their
required fields, and their ID fields with the bad id). Fields without ID arguments are called once
with their required arguments only ("plain").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLUnionType,
    Undefined,
)
from strawberry import relay

from tests.authz import BuildWorld, World
from tests.introspect import ROOT_FIELDS_QUERY, named, node_type_names, root_query_fields
from tests.utils import GraphQLClient, gid

NODE_TYPES = node_type_names()
FIELDS = root_query_fields()
MISSING_PK = 987_654  # well-formed, and no test world gets this far
OUT_OF_RANGE_PK = 2**63  # well-formed too, one past the largest BIGINT key
NOT_BASE64 = ("garbage", "garbage!! not base64 %%")  # the first has only base64 letters
SCALARS: dict[str, Any] = {
    "Int": 1,
    "Float": 1.5,
    "String": "x",
    "Boolean": False,
    "DateTime": "2026-01-01T00:00:00+00:00",
}
KINDS = ("missing", "out_of_range", "wrong_type", "not_base64")

IdValue = Callable[[str, list[str]], str]  # (argument name, its candidate types) -> the id


def has_id(type_: GraphQLInputType, seen: frozenset[str] = frozenset()) -> bool:
    """Whether an ID is anywhere in this argument type (lists and input objects included)."""
    base = named(type_)
    if isinstance(base, GraphQLScalarType):
        return base.name == "ID"
    if isinstance(base, GraphQLInputObjectType) and base.name not in seen:
        return any(has_id(f.type, seen | {base.name}) for f in base.fields.values())
    return False


def required(argument: GraphQLArgument | GraphQLInputField) -> bool:
    """Non-null without a default: the caller must pass it."""
    return isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined


def candidates(argument_name: str, field: GraphQLField) -> list[str]:
    """The Node types an ID argument probably names: `merchantId` a Merchant, `id` the field's
    own type, `creatorId` a User; else (e.g. `node(id:)`) every Node type."""
    stem = re.sub(r"(^ids?$)|(Ids?$)", "", argument_name)
    guess = {"creator": "User", "line": "OrderLine"}.get(stem, stem[:1].upper() + stem[1:])
    if not stem:
        guess = named(field.type).name.removesuffix("Connection")
    return [guess] if guess in NODE_TYPES else list(NODE_TYPES)


def fill(name: str, type_: GraphQLInputType, field: GraphQLField, id_value: IdValue) -> Any:
    """A value of this type: bad ids for IDs, plausible values for everything else."""
    if isinstance(type_, GraphQLNonNull):
        return fill(name, type_.of_type, field, id_value)
    if isinstance(type_, GraphQLList):
        return [fill(name, type_.of_type, field, id_value)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            key: fill(key, f.type, field, id_value)
            for key, f in type_.fields.items()
            if required(f) or has_id(f.type)
        }
    assert isinstance(type_, GraphQLScalarType)
    if type_.name == "ID":
        return id_value(name, candidates(name, field))
    assert type_.name in SCALARS, f"add a value for the scalar {type_.name} to SCALARS"
    return SCALARS[type_.name]


def selection(type_: GraphQLOutputType) -> str:
    """A minimal valid selection: __typename, or a connection's totalCount and cursors."""
    base = named(type_)
    if isinstance(base, GraphQLObjectType):
        if "edges" in base.fields:
            count = "totalCount " if "totalCount" in base.fields else ""
            return f"{{ {count}edges {{ cursor }} }}"
        return "{ __typename }"
    if isinstance(base, GraphQLInterfaceType | GraphQLUnionType):
        return "{ __typename }"
    return ""


def request(name: str, id_value: IdValue) -> dict[str, Any]:
    """The body calling root field `name`: its ID-bearing and required arguments, as variables."""
    field = FIELDS[name]
    used = {
        arg: argument
        for arg, argument in field.args.items()
        if required(argument) or has_id(argument.type)
    }
    definitions = ", ".join(f"${arg}: {argument.type}" for arg, argument in used.items())
    arguments = ", ".join(f"{arg}: ${arg}" for arg in used)
    query = (
        f"query{f'({definitions})' if used else ''} "
        f"{{ {name}{f'({arguments})' if used else ''} {selection(field.type)} }}"
    )
    variables = {arg: fill(arg, argument.type, field, id_value) for arg, argument in used.items()}
    return {"query": query, "variables": variables}


def kinds_of(name: str) -> list[str]:
    if any(has_id(argument.type) for argument in FIELDS[name].args.values()):
        return list(KINDS)
    return ["plain"]


CASES = [
    pytest.param(name, kind, id=f"{name}-{kind}") for name in FIELDS for kind in kinds_of(name)
]


def bodies(kind: str, name: str, world: World) -> list[dict[str, Any]]:
    """The requests of one case: for missing pks, one per candidate type of the ID arguments."""
    real = {  # a real object of some type, to pass where another type is expected
        "User": gid("User", world.buyer.user.id),
        "Product": gid("Product", world.product.id),
    }

    def wrong_type(_: str, types: list[str]) -> str:
        if len(types) > 1:  # any Node type is expected: name a type that is not a Node
            return gid("Money", 1)
        return real["Product"] if types == ["User"] else real["User"]

    def constant(text: str) -> IdValue:
        return lambda _, __: text

    def missing(i: int, pk: int = MISSING_PK) -> IdValue:
        return lambda _, types: gid(types[i % len(types)], pk)

    if kind in ("missing", "out_of_range"):
        counts: list[int] = []  # how many candidate types each ID position has

        def count(_: str, types: list[str]) -> str:
            counts.append(len(types))
            return ""

        request(name, count)
        rounds = max(counts, default=1)
        pk = MISSING_PK if kind == "missing" else OUT_OF_RANGE_PK
        return [request(name, missing(i, pk)) for i in range(rounds)]
    if kind == "wrong_type":
        return [request(name, wrong_type)]
    return [request(name, constant(text)) for text in NOT_BASE64]


def decoded(value: Any) -> Any:
    """The variables with each global id shown decoded too, for readable failures."""
    if isinstance(value, dict):
        return {key: decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decoded(item) for item in value]
    if isinstance(value, str):
        try:
            found = relay.GlobalID.from_id(value)
        except ValueError:
            return value
        return f"{value} ({found.type_name}:{found.node_id})"
    return value


async def test_every_root_field_of_the_running_schema_is_covered(gql: GraphQLClient) -> None:
    served = await gql.data(ROOT_FIELDS_QUERY)
    assert {field["name"] for field in served["__schema"]["queryType"]["fields"]} == set(FIELDS)


@pytest.mark.parametrize(("name", "kind"), CASES)
async def test_bad_input_is_never_a_server_error(
    gql: GraphQLClient, build_world: BuildWorld, name: str, kind: str
) -> None:
    world = await build_world()
    callers = {"anonymous": None, "shopper": world.buyer.token, "admin": world.admin.token}
    failures: list[str] = []
    for body in bodies(kind, name, world):
        for caller, token in callers.items():
            headers = {"authorization": f"Bearer {token}"} if token else {}
            reply = await gql.http.post("/graphql", json=body, headers=headers)
            where = f"{body['query']} {decoded(body['variables'])} as {caller}"
            if reply.status_code >= 500:
                failures.append(f"{where}: HTTP {reply.status_code} {reply.text[:200]}")
                continue
            for error in reply.json().get("errors") or []:
                if (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR":
                    failures.append(f"{where}: INTERNAL_SERVER_ERROR {error.get('message')!r}")

    assert not failures, "bad input made a server error:\n" + "\n".join(failures)
