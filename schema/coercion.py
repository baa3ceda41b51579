"""Variables are coerced at validation, so variables that do not fit the operation are a
request error, like a document that does not validate.

graphql-core coerces variables when execution starts and answers a failure as an ordinary
result with `data: null`, which looks the same as a field error that nulled the root. GraphQL
over HTTP tells them apart (a request error is a 400 under application/graphql-response+json,
schema/http.py), and strawberry marks only errors found before execution as such
(`PreExecutionError`). Coercing here, with graphql-core's own function and arguments, gives
the same errors, found before execution; such a request also costs no budget.

The coerced values (defaults filled in) are what the operation will run with, so the query
cost (schema/limits.py) reads them through `coerced_variables`, not the raw request values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, get_operation_ast
from graphql.execution import get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from schema.text import nul_errors

# graphql-core's execute() default, so the errors are those execution would have reported.
MAX_COERCION_ERRORS = 50
# Where the coerced values are kept for the rest of the request: strawberry's ExecutionContext
# is a plain dataclass, and extensions share nothing else per request.
_COERCED = "_agora_coerced_variables"


def coerced_variables(context: ExecutionContext) -> dict[str, Any] | list[GraphQLError]:
    """The operation's variables as execution will see them, defaults included, or the
    errors coercing them gave; computed once per request."""
    cached: dict[str, Any] | list[GraphQLError] | None = getattr(context, _COERCED, None)
    if cached is not None:
        return cached
    document = context.graphql_document
    operation = get_operation_ast(document, context.operation_name) if document else None
    coerced: dict[str, Any] | list[GraphQLError] = {}
    # No operation to pick is strawberry's to answer (it does, before validation).
    if operation is not None and operation.variable_definitions:
        values = get_variable_values(
            context.schema._schema,
            operation.variable_definitions,
            context.variables or {},
            max_errors=MAX_COERCION_ERRORS,
        )
        coerced = values if isinstance(values, list) else values.coerced
        if isinstance(coerced, dict):
            # Values that fit their types may still hold what the database cannot store.
            coerced = nul_errors(coerced) or coerced
    setattr(context, _COERCED, coerced)
    return coerced


class CoerceVariables(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not context.pre_execution_errors and context.graphql_document is not None:
            coerced = coerced_variables(context)
            if isinstance(coerced, list):
                for error in coerced:  # the client's input did not fit: its to fix
                    error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT"}
                context.pre_execution_errors = coerced
        yield
