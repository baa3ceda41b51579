"""Why the caller may not review a product (yet)."""

from __future__ import annotations

from enum import StrEnum

from resolvers.errors import DomainError


class ReviewNotAllowedReason(StrEnum):
    NOT_PURCHASED = "not_purchased"
    NOT_DELIVERED = "not_delivered"


class ReviewNotAllowed(DomainError):
    """The caller may not review this product (yet): the reason says why."""

    def __init__(self, reason: ReviewNotAllowedReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
