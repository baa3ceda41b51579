"""The GraphQL surface: strawberry types, inputs, unions, errors, limits and the root schema."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types.execution import ExecutionContext

from schema.apq import RegisterPersistedQuery
from schema.limits import Limits, limit_extensions
from schema.masking import MaskUnexpectedErrors, label_request_errors, log_errors
from schema.root import ERROR_MAPPINGS, Mutation, Query
from schema.subscriptions import Subscription, SubscriptionsOverWebSocket


class AgoraSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        label_request_errors(errors)
        # Log once, with the request id; client errors are not server failures.
        log_errors(errors, execution_context.context if execution_context else None)


def build_schema(limits: Limits) -> strawberry.Schema:
    # RegisterPersistedQuery stores a document once the limits passed it (schema/apq.py).
    extensions: list[Any] = [
        *limit_extensions(limits),
        SubscriptionsOverWebSocket,
        RegisterPersistedQuery,
        MaskUnexpectedErrors,
    ]
    return AgoraSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        exception_handlers=ERROR_MAPPINGS,
        config=StrawberryConfig(
            relay_max_results=limits.max_page_size, disable_field_suggestions=True
        ),
    )


__all__ = ["AgoraSchema", "Limits", "SchemaExtension", "build_schema"]
