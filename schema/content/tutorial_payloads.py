"""What tutorial mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.content.tutorials import Tutorial
from schema.errors import NotFoundError, PermissionDeniedError, ValidationError


@strawberry.type(description="The new tutorial, a DRAFT; publish it with `publishTutorial`.")
class CreateTutorialSuccess:
    tutorial: Tutorial = strawberry.field(description="The new draft.")


@strawberry.type(description="The tutorial after the edit.")
class UpdateTutorialSuccess:
    tutorial: Tutorial = strawberry.field(description="The tutorial as it is now.")


@strawberry.type(description="The tutorial is out.")
class PublishTutorialSuccess:
    tutorial: Tutorial = strawberry.field(description="The tutorial, PUBLISHED.")


@strawberry.type(description="The tutorial is out of view: only you and admins see it.")
class ArchiveTutorialSuccess:
    tutorial: Tutorial = strawberry.field(description="The tutorial, ARCHIVED.")


@strawberry.type(description="The tutorial is gone, with its steps and parts list.")
class DeleteTutorialSuccess:
    deleted_tutorial_id: strawberry.ID = strawberry.field(description="The id it had.")


_ERRORS = ValidationError | NotFoundError | PermissionDeniedError

CreateTutorialPayload = Annotated[
    CreateTutorialSuccess | ValidationError,
    strawberry.union("CreateTutorialPayload", description="The new draft, or why not."),
]
UpdateTutorialPayload = Annotated[
    UpdateTutorialSuccess | _ERRORS,
    strawberry.union("UpdateTutorialPayload", description="The edited tutorial, or why not."),
]
PublishTutorialPayload = Annotated[
    PublishTutorialSuccess | _ERRORS,
    strawberry.union("PublishTutorialPayload", description="The published tutorial, or why not."),
]
ArchiveTutorialPayload = Annotated[
    ArchiveTutorialSuccess | _ERRORS,
    strawberry.union("ArchiveTutorialPayload", description="The archived tutorial, or why not."),
]
DeleteTutorialPayload = Annotated[
    DeleteTutorialSuccess | _ERRORS,
    strawberry.union("DeleteTutorialPayload", description="Confirmation, or why it was refused."),
]
