"""Which operation of a document runs: the one `operationName` names, or the only one.

The GraphQL spec (GetOperation) makes a document with several operations and no
`operationName` a request error. Strawberry instead falls back to the first operation, so such
a document would run whatever comes first, a mutation included, and the cost would be priced
for it while the client may have meant another.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension


class RequireOperationName(SchemaExtension):
    """Refuses a document of several operations sent without `operationName`.

    Runs after validation (it must follow ValidationCache, which sets the errors it found),
    before variables are coerced and the cost is measured, which both pick the operation.
    """

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        # The name the request gave: `operation_name` falls back to the first operation's.
        # A private attribute; the test of a named operation would catch it going away.
        provided = getattr(context, "_provided_operation_name", None)
        if not context.pre_execution_errors and document is not None and provided is None:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(operations) > 1:
                names = ", ".join(op.name.value if op.name else "(anonymous)" for op in operations)
                context.pre_execution_errors = [
                    GraphQLError(
                        f"The document has {len(operations)} operations ({names}): "
                        "say which to run in operationName.",
                        extensions={"code": "OPERATION_NAME_REQUIRED"},
                    )
                ]
        yield
