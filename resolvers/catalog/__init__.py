"""Catalog: merchants and staff, categories, products, variants and their listing.

Merchants manage only their own catalog: the owner and staff of a merchant, or an admin.
Apps need write:commerce. Product rows keep `min_price` and `total_stock` in step with their
variants, so listings filter and sort on indexed columns.
"""

from __future__ import annotations

from resolvers.catalog.access import (
    can_see_product,
    managed_merchant,
    manages_merchant,
    merchant_team_of,
    visible_categories,
    visible_merchant_team,
    visible_merchants,
    visible_products,
    visible_variants,
)
from resolvers.catalog.categories import create_category
from resolvers.catalog.checks import VariantSpec, slugify
from resolvers.catalog.merchants import (
    add_merchant_staff,
    create_merchant,
    remove_merchant_staff,
    update_merchant,
)
from resolvers.catalog.products import (
    add_variant,
    adjust_variant_stock,
    create_product,
    delete_variant,
    update_product,
    update_variant,
)
from resolvers.catalog.queries import (
    ProductFilter,
    ProductSort,
    find_product,
    list_products,
    merchant_by_slug,
    top_categories,
)

__all__ = [
    "ProductFilter",
    "ProductSort",
    "VariantSpec",
    "add_merchant_staff",
    "add_variant",
    "adjust_variant_stock",
    "can_see_product",
    "create_category",
    "create_merchant",
    "create_product",
    "delete_variant",
    "find_product",
    "list_products",
    "managed_merchant",
    "manages_merchant",
    "merchant_by_slug",
    "merchant_team_of",
    "remove_merchant_staff",
    "slugify",
    "top_categories",
    "update_merchant",
    "update_product",
    "update_variant",
    "visible_categories",
    "visible_merchant_team",
    "visible_merchants",
    "visible_products",
    "visible_variants",
]
