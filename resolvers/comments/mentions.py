"""@mentions: which users a comment names, kept as rows.

`sync_mentions` is the one entry point: it makes a comment's mention rows match its body and
returns the users newly mentioned, which is what a mention notification needs (a notifier
calls it, or reads `CommentMention` rows, after the comment's transaction commits). Only
active accounts are mentioned; the author naming themself is no mention. A handle that names
nobody stays plain text.
"""

from __future__ import annotations

from models.accounts import User
from models.comments import CommentMention
from resolvers.comments.checks import mentioned_handles


async def sync_mentions(comment_id: int, author_id: int, body: str) -> list[int]:
    """Make the comment's mention rows those of `body`; the ids of users newly mentioned,
    in the order the body names them. Deleting the comment's body (a soft delete) is
    `sync_mentions(id, author, "")`."""
    handles = mentioned_handles(body)
    found: dict[str, int] = {}
    if handles:
        rows = await User.filter(handle__in=handles, is_active=True).values_list("handle", "id")
        found = {str(handle): int(str(user_id)) for handle, user_id in rows}
    wanted = [found[h] for h in handles if h in found and found[h] != author_id]
    current = CommentMention.filter(comment_id=comment_id).order_by("position", "id")
    had = [int(str(user_id)) for user_id in await current.values_list("user_id", flat=True)]
    if had != wanted:  # rewritten whole, so positions follow the body
        await CommentMention.filter(comment_id=comment_id).delete()
    if had != wanted and wanted:
        await CommentMention.bulk_create(
            [
                CommentMention(comment_id=comment_id, user_id=user_id, position=position)
                for position, user_id in enumerate(wanted)
            ]
        )
    return [user_id for user_id in wanted if user_id not in had]
