"""What the reaction mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.reactions.types import Reactable


@strawberry.type(description="You have reacted (now, or already had: reacting twice is the same).")
class ReactSuccess:
    target: Reactable = strawberry.field(
        description="The post, tutorial or comment, with its `likeCount`, `saveCount`, "
        "`viewerHasLiked` and `viewerHasSaved` as they are now."
    )


@strawberry.type(description="Your reaction is gone (or you never had it).")
class UnreactSuccess:
    target: Reactable = strawberry.field(
        description="The post, tutorial or comment, with its `likeCount`, `saveCount`, "
        "`viewerHasLiked` and `viewerHasSaved` as they are now."
    )


_ERRORS = ValidationError | NotFoundError

ReactPayload = Annotated[
    ReactSuccess | _ERRORS | PermissionDeniedError,
    strawberry.union(
        "ReactPayload",
        description="The target you reacted to, or why not (PermissionDeniedError: you are "
        "banned or muted in the post's community).",
    ),
]
UnreactPayload = Annotated[
    UnreactSuccess | _ERRORS,
    strawberry.union(
        "UnreactPayload", description="The target your reaction was taken from, or why not."
    ),
]
