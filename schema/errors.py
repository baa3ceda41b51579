"""Typed errors returned inside mutation payloads, and the handlers that produce them.

A mutation's payload union lists the errors it can return; a domain exception raised by a
resolver becomes that error type only where the union includes it (strawberry's
exception_handlers). Anything else is an unexpected error and is masked.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

from resolvers import errors


@strawberry.interface(description="Something the client asked for could not be done, and why.")
class Error:
    message: str = strawberry.field(description="What went wrong, in words fit to show a person.")


@strawberry.type(description="An input value was rejected.")
class ValidationError(Error):
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase, as sent), or null for the whole input."
    )


@strawberry.type(description="The object does not exist, or the caller may not see it.")
class NotFoundError(Error):
    resource: str = strawberry.field(description="The kind of object, e.g. `App`.")


@strawberry.type(description="The change conflicts with existing data, e.g. a taken handle.")
class ConflictError(Error):
    field: str | None = strawberry.field(description="The input field at fault, if any.")


@strawberry.type(description="The caller is signed in but may not do this to this object.")
class PermissionDeniedError(Error):
    pass


@strawberry.type(description="The email and password do not match an active account.")
class InvalidCredentialsError(Error):
    pass


class ValidationErrorHandler(strawberry.ExceptionHandler[errors.InvalidInput, ValidationError]):
    def handle(
        self, exception: errors.InvalidInput, *, field: StrawberryField, info: strawberry.Info
    ) -> ValidationError:
        return ValidationError(message=exception.message, field=exception.field)


class NotFoundErrorHandler(strawberry.ExceptionHandler[errors.NotFound, NotFoundError]):
    def handle(
        self, exception: errors.NotFound, *, field: StrawberryField, info: strawberry.Info
    ) -> NotFoundError:
        return NotFoundError(message=exception.message, resource=exception.resource)


class ConflictErrorHandler(strawberry.ExceptionHandler[errors.Conflict, ConflictError]):
    def handle(
        self, exception: errors.Conflict, *, field: StrawberryField, info: strawberry.Info
    ) -> ConflictError:
        return ConflictError(message=exception.message, field=exception.field)


class PermissionDeniedErrorHandler(
    strawberry.ExceptionHandler[errors.PermissionDenied, PermissionDeniedError]
):
    def handle(
        self, exception: errors.PermissionDenied, *, field: StrawberryField, info: strawberry.Info
    ) -> PermissionDeniedError:
        return PermissionDeniedError(message=exception.message)


EXCEPTION_HANDLERS: list[strawberry.ExceptionHandler[Any, Any]] = [
    ValidationErrorHandler(),
    NotFoundErrorHandler(),
    ConflictErrorHandler(),
    PermissionDeniedErrorHandler(),
]
