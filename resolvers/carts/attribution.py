"""Attribution of a cart line: the post, tutorial, creator or share code it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models.accounts import User
from models.attribution import Attributed, SourceType
from models.social import ShareLink
from resolvers.content import visible_posts, visible_tutorials
from resolvers.errors import InvalidInput

if TYPE_CHECKING:
    from resolvers.context import Context

SHARE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where a line came from: a post, a tutorial, a creator, a share-link code."""

    source_type: SourceType | None = None
    source_id: int | None = None
    creator_id: int | None = None
    share_code: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.source_type is None and self.creator_id is None and self.share_code is None

    def columns(self) -> dict[str, Any]:
        return {
            "source_type": self.source_type,
            "source_id": self.source_id,
            "creator_id": self.creator_id,
            "share_code": self.share_code,
        }

    @classmethod
    def of(cls, row: Attributed) -> Attribution:
        return cls(
            source_type=row.source_type,
            source_id=row.source_id,
            creator_id=row.creator_id,
            share_code=row.share_code,
        )


async def check_attribution(ctx: Context, attribution: Attribution | None) -> Attribution | None:
    if attribution is None or (attribution.is_empty and attribution.source_id is None):
        return None
    source_type, source_id = attribution.source_type, attribution.source_id
    creator_id, share_code = attribution.creator_id, attribution.share_code
    if source_type is SourceType.CREATOR:
        creator_id = creator_id if creator_id is not None else source_id
        source_id = source_id if source_id is not None else creator_id
        if creator_id is None or creator_id != source_id:
            raise InvalidInput("attribution.creatorId", "A CREATOR source names the creator.")
    elif source_type in (SourceType.POST, SourceType.TUTORIAL) and source_id is None:
        raise InvalidInput("attribution.sourceId", "A POST or TUTORIAL source needs its id.")
    elif source_type is None and source_id is not None:
        raise InvalidInput("attribution.sourceType", "Say what kind of source `sourceId` is.")
    if share_code is not None:
        share_code = share_code.strip()
        if not SHARE_CODE.match(share_code):
            raise InvalidInput(
                "attribution.shareCode", "A share code is 1-40 letters, digits, '-' or '_'."
            )
    elif source_type is SourceType.SHARE_LINK:
        raise InvalidInput("attribution.shareCode", "A SHARE_LINK source needs its share code.")
    if source_type is SourceType.POST and source_id is not None:
        # Only a post the buyer can see may be credited: a draft's id is not a source.
        [post] = await visible_posts(ctx, [source_id])
        if post is None:
            raise InvalidInput("attribution.sourceId", "There is no such post.")
        # A post sells for its author: the line credits both, so creator reports count it.
        creator_id = creator_id if creator_id is not None else post.author_id
    if source_type is SourceType.TUTORIAL and source_id is not None:
        # As for posts; the tutorial's author is the creator credited unless one is named.
        [tutorial] = await visible_tutorials(ctx, [source_id])
        if tutorial is None:
            raise InvalidInput("attribution.sourceId", "There is no such tutorial.")
        creator_id = creator_id if creator_id is not None else tutorial.author_id
    # The model, not resolvers.social: that package sums orders, which import carts.
    if share_code is not None and not await ShareLink.filter(code=share_code).exists():
        raise InvalidInput("attribution.shareCode", "There is no share link with this code.")
    if creator_id is not None and not await User.filter(id=creator_id).exists():
        raise InvalidInput("attribution.creatorId", "There is no such creator.")
    return Attribution(source_type, source_id, creator_id, share_code)
