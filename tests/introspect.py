"""The schema the app serves, read at collection time so generic tests can parametrise over it.

`build_schema(limits_of(settings))` is exactly what `main.create_app` serves; the generic tests
also compare these names with an introspection of the running app, so the two cannot drift.
"""

from __future__ import annotations

from graphql import (
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
    get_named_type,
)

from main import limits_of
from schema import build_schema
from settings import Settings

SCHEMA: GraphQLSchema = build_schema(limits_of(Settings()))._schema


def root_query_fields() -> dict[str, GraphQLField]:
    assert SCHEMA.query_type is not None
    return dict(SCHEMA.query_type.fields)


def node_type_names() -> list[str]:
    """Every object type implementing the Relay `Node` interface."""
    return sorted(
        name
        for name, named in SCHEMA.type_map.items()
        if isinstance(named, GraphQLObjectType)
        and any(interface.name == "Node" for interface in named.interfaces)
    )


def named(type_: GraphQLType) -> GraphQLNamedType:
    """The type without its non-null and list wrappers."""
    found = get_named_type(type_)
    assert found is not None
    return found


# Deprecated root fields (reportedReviews) still run, so they are covered too.
ROOT_FIELDS_QUERY = "{ __schema { queryType { fields(includeDeprecated: true) { name } } } }"
NODE_TYPES_QUERY = '{ __type(name: "Node") { possibleTypes { name } } }'
