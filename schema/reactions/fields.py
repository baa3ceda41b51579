"""The reaction fields of Post, Tutorial, Comment and User (counts, the viewer's flags, saved
items).

Those types live in schema/content/, schema/comments/ and schema/accounts.py, which import this
module lazily (it imports them): each field there is one call here.
"""

from __future__ import annotations

from models.reactions import ReactionKind, ReactionTargetKind
from resolvers import reactions
from resolvers.reactions.loaders import reaction_counts, viewer_reactions
from schema.base import Info
from schema.pagination import page_args
from schema.reactions.types import SavedItemConnection, saved_connection

POST, TUTORIAL = ReactionTargetKind.POST, ReactionTargetKind.TUTORIAL
COMMENT = ReactionTargetKind.COMMENT
LIKE, SAVE = ReactionKind.LIKE, ReactionKind.SAVE
PageArguments = tuple[int | None, str | None, int | None, str | None]


async def count(info: Info, target_kind: ReactionTargetKind, pk: int, kind: ReactionKind) -> int:
    """One grouped query per page of targets, for likes and saves together."""
    counts = await info.context.loaders[reaction_counts].load((target_kind, pk))
    return counts.get(kind, 0)


async def viewer_has(
    info: Info, target_kind: ReactionTargetKind, pk: int, kind: ReactionKind
) -> bool:
    """False for anonymous callers (no SQL); one batched query per page of targets."""
    viewer = info.context.principal.user
    if viewer is None:
        return False
    mine = await info.context.loaders[viewer_reactions].load((viewer.id, target_kind, pk))
    return kind in mine


async def saved(info: Info, user_id: int, paging: PageArguments) -> SavedItemConnection | None:
    found = await reactions.saved_items(info.context, user_id, page_args(*paging))
    return None if found is None else saved_connection(found)
