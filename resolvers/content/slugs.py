"""Slugs of posts and tutorials: made from the title once, unique in their table."""

from __future__ import annotations

import secrets

from tortoise.models import Model

from resolvers.catalog import slugify

SLUG_MAX = 100  # models/content.py Post.slug and Tutorial.slug


async def free_slug(model: type[Model], title: str, fallback: str) -> str:
    """The title's slug, or with -2, -3, … (then a random suffix) when taken; `fallback` for
    titles slugify can make nothing of (no latin letters or digits)."""
    base = slugify(title)[: SLUG_MAX - 9]
    base = fallback if base == "item" else base  # "item" is slugify's own fallback
    rows = await model.filter(slug__startswith=base).values_list("slug", flat=True)
    taken = {str(slug) for slug in rows}
    if base not in taken:
        return base
    for n in range(2, 50):
        if f"{base}-{n}" not in taken:
            return f"{base}-{n}"
    return f"{base}-{secrets.token_hex(4)}"
