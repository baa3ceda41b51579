"""Typed errors returned inside mutation payloads, and the one way exceptions become them.

A mutation's payload union lists exactly the errors it can return. A domain exception raised
by a resolver becomes the typed error mapped to it (`maps`), but only where the field's union
includes that type (strawberry's exception_handlers); elsewhere it fails the field with a
top-level error carrying its `extensions.code` (resolvers/errors.py). Each domain's schema
package maps its own exceptions in its `errors.py` and lists them in `ERROR_MAPPINGS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types.field import StrawberryField

from resolvers import errors

E = TypeVar("E", bound=Exception)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ErrorMapping(Generic[E, T]):
    """An exception handler built from data: which exception, which typed error, how."""

    exception_type: type[E]
    error_type: type[T]
    build: Callable[[E], T]

    def handle(self, exception: E, *, field: StrawberryField, info: strawberry.Info) -> T:
        return self.build(exception)


def maps(
    exception_type: type[E], error_type: type[T], build: Callable[[E], T]
) -> ErrorMapping[Any, Any]:
    return ErrorMapping(exception_type, error_type, build)


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


ERROR_MAPPINGS = [
    maps(
        errors.InvalidInput,
        ValidationError,
        lambda e: ValidationError(message=e.message, field=e.field),
    ),
    maps(
        errors.NotFound,
        NotFoundError,
        lambda e: NotFoundError(message=e.message, resource=e.resource),
    ),
    maps(errors.Conflict, ConflictError, lambda e: ConflictError(message=e.message, field=e.field)),
    maps(
        errors.PermissionDenied,
        PermissionDeniedError,
        lambda e: PermissionDeniedError(message=e.message),
    ),
]
