"""Input checks for comments: the body (Markdown, as posts), the depth cap, @mentions."""

from __future__ import annotations

import re

from resolvers.content import render_markdown
from resolvers.errors import InvalidInput

BODY_MAX = 5_000  # characters of Markdown, after trimming
# Top-level comments have depth 0; a reply is one deeper than its parent. Replies go down to
# this depth; a comment at it takes no replies (ValidationError on `parentId`), so a thread
# stays readable on a phone.
MAX_DEPTH = 3
MAX_MENTIONS = 10  # distinct users one comment can mention; later names are plain text
# `@handle` as handles are spelled (resolvers/accounts.py: 3-30 of a-z, 0-9, _, a letter
# first), case-insensitive as typed. Not after a word character, so `ana@example.com` names
# nobody; not followed by one, so `@ana_x` is not `@ana`.
MENTION = re.compile(r"(?<![\w@])@([A-Za-z][A-Za-z0-9_]{2,29})(?![\w@])")


def check_body(body: str) -> str:
    """The trimmed body; empty (or only whitespace) and too long are ValidationErrors."""
    cleaned = body.strip()
    if not cleaned:
        raise InvalidInput("body", "A comment needs some text.")
    if len(cleaned) > BODY_MAX:
        raise InvalidInput("body", f"A comment is at most {BODY_MAX:,} characters of Markdown.")
    return cleaned


def render(body: str) -> str:
    """The body as sanitised HTML, through the same Markdown and nh3 path as posts."""
    return render_markdown(body)


def mentioned_handles(body: str) -> list[str]:
    """The handles a body names with `@`, lowercased, each once, in order (at most 10)."""
    found: dict[str, None] = {}
    for match in MENTION.finditer(body):
        found.setdefault(match.group(1).lower(), None)
        if len(found) == MAX_MENTIONS:
            break
    return list(found)


def reply_depth(parent_depth: int) -> int:
    """The depth of a reply to a comment at `parent_depth`, if the cap allows one."""
    if parent_depth >= MAX_DEPTH:
        raise InvalidInput(
            "parentId",
            f"Replies go {MAX_DEPTH} levels deep; reply to a comment higher in the thread.",
        )
    return parent_depth + 1
