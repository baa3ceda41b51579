"""Variables are coerced at validation, so variables that do not fit the operation are a
request error, like a document that does not validate.

graphql-core coerces variables when execution starts and answers a failure as an ordinary
result with `data: null`, which looks the same as a field error that nulled the root. GraphQL
over HTTP tells them apart (a request error is a 400 under application/graphql-response+json,
schema/http.py), and strawberry marks only errors found before execution as such
(`PreExecutionError`). Coercing here, with graphql-core's own function and arguments, gives
the same errors, found before execution; such a request also costs no budget.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import get_operation_ast
from graphql.execution import get_variable_values
from strawberry.extensions import SchemaExtension

# graphql-core's execute() default, so the errors are those execution would have reported.
MAX_COERCION_ERRORS = 50


class CoerceVariables(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if not context.pre_execution_errors and document is not None:
            operation = get_operation_ast(document, context.operation_name)
            # No operation to pick is strawberry's to answer (it does, before validation).
            if operation is not None and operation.variable_definitions:
                coerced = get_variable_values(
                    context.schema._schema,
                    operation.variable_definitions,
                    context.variables or {},
                    max_errors=MAX_COERCION_ERRORS,
                )
                if isinstance(coerced, list):
                    for error in coerced:  # the client's input did not fit: its to fix
                        error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT"}
                    context.pre_execution_errors = coerced
        yield
