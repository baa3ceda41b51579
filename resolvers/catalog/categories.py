"""The category tree: adding a category, and a category with everything below it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError

from models.accounts import Role
from models.catalog import Category
from resolvers.auth import require_role
from resolvers.catalog.checks import check_slug, check_text
from resolvers.errors import Conflict, NotFound

if TYPE_CHECKING:
    from resolvers.context import Context


async def create_category(
    ctx: Context, *, name: str, slug: str | None, parent_id: int | None
) -> Category:
    require_role(ctx, Role.ADMIN)
    name = check_text(name, "name", maximum=80)
    if parent_id is not None and not await Category.filter(id=parent_id).exists():
        raise NotFound("Category", "The parent category does not exist.")
    try:
        return await Category.create(name=name, slug=check_slug(slug, name), parent_id=parent_id)
    except IntegrityError:
        raise Conflict("That slug is already taken.", field="slug") from None


async def category_with_descendants(category_id: int) -> list[int]:
    """The category and every category below it (the tree is small: one query)."""
    children: dict[int | None, list[int]] = {}
    for row_id, parent_id in await Category.all().values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(row_id)
    found, frontier = [category_id], [category_id]
    while frontier:
        frontier = [child for node in frontier for child in children.get(node, [])]
        found.extend(frontier)
    return found
