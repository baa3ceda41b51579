"""Unexpected errors reach the client as a generic message with the request id; we log them."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import MaskErrors

from resolvers.errors import DomainError
from storage.database import is_database_unavailable
from storage.logthrottle import LogThrottle

log = logging.getLogger("agora.errors")
# An outage makes every request fail the same way, and a traceback is ~5 KB: the first of a
# kind (exception type and where it was raised) is logged in full, then a count a minute.
_unexpected = LogThrottle(log)

# The database being down is not a bug to report but a moment to wait out: its own code, which
# also makes the whole response a 503 with Retry-After (schema/http.py).
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
UNAVAILABLE_MESSAGE = "The database is unavailable. Retry in a few seconds."


def is_unexpected(error: GraphQLError) -> bool:
    """Syntax, validation and coercion errors and DomainErrors are the client's to see."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | DomainError)


class MaskUnexpectedErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(
            should_mask_error=is_unexpected,
            error_message="Unexpected error. Quote the request id when reporting it.",
        )

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = _request_id(self.execution_context.context)
        unavailable = is_database_unavailable(error.original_error)
        return GraphQLError(
            message=UNAVAILABLE_MESSAGE if unavailable else self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={
                "code": SERVICE_UNAVAILABLE if unavailable else "INTERNAL_SERVER_ERROR",
                "requestId": request_id,
            },
        )


def label_request_errors(errors: list[GraphQLError]) -> None:
    """Give syntax and validation errors an `extensions.code` (Apollo's names), so that
    clients branch on codes alone. They are found before execution: no path, no original."""
    for error in errors:
        if (error.extensions or {}).get("code") or error.path or error.original_error:
            continue
        code = (
            "GRAPHQL_PARSE_FAILED"
            if isinstance(error, GraphQLSyntaxError)
            else "GRAPHQL_VALIDATION_FAILED"
        )
        error.extensions = {**(error.extensions or {}), "code": code}


def log_errors(errors: list[GraphQLError], context: Any) -> None:
    request_id = _request_id(context)
    for error in errors:
        if is_unexpected(error) and is_database_unavailable(error.original_error):
            assert error.original_error is not None
            _unexpected.failure(
                logging.WARNING,
                error.original_error,
                "database unavailable in %s (request %s)",
                error.path,
                request_id,
                traceback=False,
            )
        elif is_unexpected(error) and error.original_error is not None:
            _unexpected.failure(
                logging.ERROR,
                error.original_error,
                "unexpected error in %s (request %s)",
                error.path,
                request_id,
            )
        else:
            log.debug("client error (request %s): %s", request_id, error.message)


def _request_id(context: Any) -> str:
    return str(getattr(context, "request_id", "unknown"))
