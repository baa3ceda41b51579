"""Domain exceptions. Expected outcomes; the schema maps them to typed errors or error codes."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """An expected failure that the client is told about in words we chose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    def __init__(self, resource: str, message: str | None = None) -> None:
        super().__init__(message or f"{resource} not found.")
        self.resource = resource


class Conflict(DomainError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(DomainError):
    """Signed in, allowed to call the operation, but not on this object."""


class PublicError(Exception):
    """Fails the whole field with a top-level GraphQL error carrying extensions.code."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, Any] = {"code": self.code, **extra}


class Unauthenticated(PublicError):
    code = "UNAUTHENTICATED"


class Forbidden(PublicError):
    code = "FORBIDDEN"


class RateLimited(PublicError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message, retryAfterSeconds=retry_after_seconds)
        self.retry_after_seconds = retry_after_seconds


class BadUserInput(PublicError):
    code = "BAD_USER_INPUT"
