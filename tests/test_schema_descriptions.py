"""The schema documents itself for client tooling: every type, field, argument, input field,
union and enum value has a description, and no enum argument is non-null with a default."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
)
from graphql.type import specified_scalar_types

from main import limits_of
from schema import build_schema
from settings import Settings


def _schema() -> GraphQLSchema:
    return build_schema(limits_of(Settings()))._schema


def _own_types(schema: GraphQLSchema) -> Iterator[GraphQLNamedType]:
    """Every type the schema defines: introspection types and built-in scalars are not ours."""
    for name, named in sorted(schema.type_map.items()):
        if not name.startswith("__") and name not in specified_scalar_types:
            yield named


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every type, field, argument, input field, union and enum value without a description."""
    missing: list[str] = []

    def check(description: str | None, what: str) -> None:
        if not (description and description.strip()):
            missing.append(what)

    for named in _own_types(schema):
        kind = "union" if isinstance(named, GraphQLUnionType) else "type"
        check(named.description, f"{kind} {named.name}")
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                check(field.description, f"field {named.name}.{field_name}")
                for arg_name, arg in field.args.items():
                    check(arg.description, f"argument {named.name}.{field_name}({arg_name})")
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                check(input_field.description, f"input field {named.name}.{field_name}")
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                check(value.description, f"enum value {named.name}.{value_name}")
    return missing


def test_everything_in_the_schema_has_a_description() -> None:
    missing = undescribed(_schema())

    assert not missing, f"{len(missing)} without a description:\n  " + "\n  ".join(missing)


def test_the_walk_covers_the_root_types_and_every_kind() -> None:
    """Guards the test above against walking nothing."""
    schema = _schema()
    names = {named.name for named in _own_types(schema)}

    assert {"Query", "Mutation", "Node", "DateTime"} <= names
    assert "String" not in names
    assert "__Schema" not in names
    kinds = (
        GraphQLObjectType,
        GraphQLInterfaceType,
        GraphQLInputObjectType,
        GraphQLUnionType,
        GraphQLEnumType,
    )
    for kind in kinds:
        assert any(isinstance(named, kind) for named in _own_types(schema)), kind


def test_no_enum_argument_is_non_null_with_a_default() -> None:
    """relay-compiler refuses a non-null variable with a default: such arguments take null."""
    offenders = [
        f"{named.name}.{field_name}({arg_name})"
        for named in _own_types(_schema())
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
        for field_name, field in named.fields.items()
        for arg_name, arg in field.args.items()
        if isinstance(arg.type, GraphQLNonNull)
        and isinstance(arg.type.of_type, GraphQLEnumType)
        and arg.default_value is not Undefined
    ]

    assert not offenders, f"non-null enum arguments with a default: {offenders}"
