"""The errors every domain shares. A domain's own errors live in `resolvers/<domain>/errors.py`.

One mechanism for all of them: a resolver raises a `DomainError`. Where the field's payload
union lists the matching typed error (schema/errors.py maps each exception to one), the client
gets that typed result; anywhere else the field fails with a top-level GraphQL error whose
`extensions.code` says what kind of failure it was (`BAD_USER_INPUT`, `NOT_FOUND`, ...).
Only exceptions that are not `DomainError`s are bugs, and only those are masked.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """An expected failure that the client is told about in words we chose."""

    code: ClassVar[str] = "BAD_REQUEST"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        # graphql-core copies an original error's `extensions` onto the GraphQL error.
        self.extensions: dict[str, Any] = {"code": self.code, **extensions}


class InvalidInput(DomainError):
    """An argument or input field was rejected; `field` names it as the client sent it."""

    code = "BAD_USER_INPUT"

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message, **({"argument": field} if field else {}))
        self.field = field

    def __str__(self) -> str:
        # The top-level message names the argument; the typed ValidationError has `field`.
        if self.field is None or f"`{self.field}`" in self.message:
            return self.message
        return f"`{self.field}`: {self.message}"


class NotFound(DomainError):
    code = "NOT_FOUND"

    def __init__(self, resource: str, message: str | None = None) -> None:
        super().__init__(message or f"{resource} not found.", resource=resource)
        self.resource = resource


class Conflict(DomainError):
    code = "CONFLICT"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(DomainError):
    """Signed in, allowed to call the operation, but not on this object."""

    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    """The operation needs a signed-in caller. Always top-level, never a typed result."""

    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    """The caller's role or token scope does not allow the operation at all."""

    code = "FORBIDDEN"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message, retryAfterSeconds=retry_after_seconds)
        self.retry_after_seconds = retry_after_seconds
