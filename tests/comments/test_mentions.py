"""`sync_mentions`, what the mention notifications to come will call: the users newly
mentioned, once each, as the body changes."""

from __future__ import annotations

from typing import Any

from models.comments import CommentMention
from resolvers import comments
from tests.comments.support import make_comment, make_post
from tests.factories import MakeUser


async def test_sync_mentions_returns_only_the_newly_mentioned(
    running: Any, make_user: MakeUser
) -> None:
    author = await make_user(handle="writer_s")
    ana, tom = await make_user(handle="ana_s"), await make_user(handle="tom_s")
    comment = await make_comment(author.id, await make_post(author.id), "draft")

    first = await comments.sync_mentions(comment.id, author.id, "@ana_s and @writer_s")
    again = await comments.sync_mentions(comment.id, author.id, "@ANA_S, still")
    swapped = await comments.sync_mentions(comment.id, author.id, "@tom_s then @ana_s")
    cleared = await comments.sync_mentions(comment.id, author.id, "")

    assert first == [ana.id]  # the author naming themself is no mention
    assert again == []
    assert swapped == [tom.id]
    assert cleared == []
    assert not await CommentMention.exists()


async def test_sync_mentions_keeps_the_order_of_the_body(running: Any, make_user: MakeUser) -> None:
    author = await make_user()
    ana, tom = await make_user(handle="ana_o"), await make_user(handle="tom_o")
    comment = await make_comment(author.id, await make_post(author.id))

    await comments.sync_mentions(comment.id, author.id, "@ana_o @tom_o")
    await comments.sync_mentions(comment.id, author.id, "@tom_o @ana_o")

    rows = await CommentMention.filter(comment_id=comment.id).order_by("position")
    assert [row.user_id for row in rows] == [tom.id, ana.id]
