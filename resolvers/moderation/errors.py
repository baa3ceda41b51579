"""The moderation domain's own refusals."""

from __future__ import annotations

from resolvers.errors import InvalidInput


class AlreadyReported(InvalidInput):
    """The caller reported this target before: one report per person and target."""

    def __init__(self) -> None:
        super().__init__("targetId", "You already reported this.")
