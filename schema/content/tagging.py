"""setMediaTags: pin products on one media item of a post or a review.

One mutation per media item, not tags inside createPost/updatePost: a tagging screen edits one
image at a time (drop a pin, move it) without resending the post or making a revision per pin,
and the same call serves reviews and tutorials (the media of their steps), whose own mutations
stay as they are. The list replaces that item's tags wholesale, so the client sends what it shows.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.content import Post as PostModel
from models.content import TagTarget
from models.content import Tutorial as TutorialModel
from models.reviews import Review as ReviewModel
from resolvers import content
from resolvers.errors import InvalidInput
from schema.base import Info, decode_id, parse_global_id
from schema.content.tags import ProductTag, ProductTagInput, tag_list
from schema.content.tutorials import Tutorial
from schema.content.types import Post
from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.reviews import Review

TARGETS = {"Post": TagTarget.POST, "Review": TagTarget.REVIEW, "Tutorial": TagTarget.TUTORIAL}


@strawberry.type(
    description="The media item's tags now, and the post, review or tutorial they are in."
)
class SetMediaTagsSuccess:
    tags: list[ProductTag] = strawberry.field(
        description="The media item's tags in this post, review or tutorial, in order."
    )
    post: Post | None = strawberry.field(description="The post, when the target is a post.")
    review: Review | None = strawberry.field(description="The review, when the target is a review.")
    tutorial: Tutorial | None = strawberry.field(
        description="The tutorial, when the target is a tutorial."
    )


SetMediaTagsPayload = Annotated[
    SetMediaTagsSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("SetMediaTagsPayload", description="The tags as saved, or why not."),
]


def _target(value: strawberry.ID) -> tuple[TagTarget, int]:
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] not in TARGETS:
        raise InvalidInput(
            "targetId", "`targetId` must be the id of a Post, a Review or a Tutorial."
        )
    return TARGETS[parsed[0]], parsed[1]


@strawberry.type
class TagMutation:
    @strawberry.mutation(
        description="Replace the product tags on one media item of your post, review or "
        "tutorial (the media of its steps) with `tags` (at most 20; an empty list removes "
        "them). Images take points (`x`, `y` in 0..1), videos times (`atSeconds`). Products "
        "must be ACTIVE; apps need write:content."
    )
    async def set_media_tags(
        self,
        info: Info,
        target_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Where the media is shown: your Post, Review or Tutorial."
            ),
        ],
        media_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The media item (a Media id): the post's cover or one of its "
                "gallery, one of the review's media, or one shown in a step of the tutorial."
            ),
        ],
        tags: Annotated[
            list[ProductTagInput],
            strawberry.argument(description="The item's tags, in order; they replace the old."),
        ],
    ) -> SetMediaTagsPayload | None:
        kind, target_id_value = _target(target_id)
        media = decode_id(media_id, "Media", field="mediaId")
        specs = [tag.spec(n) for n, tag in enumerate(tags)]
        tagged = await content.set_media_tags(
            info.context, kind=kind, target_id=target_id_value, media_id=media, tags=specs
        )
        target = tagged.target
        return SetMediaTagsSuccess(
            tags=tag_list(tagged.tags),
            post=Post.from_model(target) if isinstance(target, PostModel) else None,
            review=Review.from_model(target) if isinstance(target, ReviewModel) else None,
            tutorial=Tutorial.from_model(target) if isinstance(target, TutorialModel) else None,
        )
