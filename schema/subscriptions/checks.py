"""Subscriptions only over the WebSocket: POST /graphql would run one as a query once."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from resolvers.subscriptions import SubscriptionContext


class SubscriptionsOverWebSocket(SchemaExtension):
    """A request error for a subscription sent over HTTP, before anything runs."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if (
            not context.pre_execution_errors
            and context.graphql_document is not None
            and not isinstance(context.context, SubscriptionContext)
            and context.operation_type is OperationType.SUBSCRIPTION
        ):
            context.pre_execution_errors = [
                GraphQLError(
                    "Subscriptions run over the WebSocket at /graphql (graphql-transport-ws), "
                    "not over HTTP.",
                    extensions={"code": "SUBSCRIPTION_OVER_HTTP"},
                )
            ]
        yield
