"""What the moderation mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.moderation.types import ModerationItem, ModerationTarget, Report


@strawberry.type(description="Thank you: moderators will look at it.")
class ReportSuccess:
    report: Report = strawberry.field(description="Your report, OPEN.")
    target: ModerationTarget | None = strawberry.field(description="What you reported.")


@strawberry.type(description="Done: the target as it is now, and its queue item.")
class ModerateSuccess:
    target: ModerationTarget | None = strawberry.field(
        description="The target after the action (moderators still see it when hidden)."
    )
    hidden: bool = strawberry.field(description="Whether it is hidden now.")
    item: ModerationItem | None = strawberry.field(
        description="Its queue item with the reports closed; null if nobody reported it."
    )


ReportPayload = Annotated[
    ReportSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "ReportPayload",
        description="Your report, or why not (ValidationError on `targetId`: you reported it "
        "already; PermissionDeniedError: it is yours).",
    ),
]
ModeratePayload = Annotated[
    ModerateSuccess | ValidationError | NotFoundError,
    strawberry.union("ModeratePayload", description="The target after the action, or why not."),
]
