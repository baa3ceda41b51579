"""Catalog: merchants and staff, categories, products, variants and their listing.

Merchants manage only their own catalog: the owner and staff of a merchant, or an admin.
Apps need write:commerce. Product rows keep `min_price` and `total_stock` in step with their
variants, so listings filter and sort on indexed columns.
"""

from __future__ import annotations

from resolvers.catalog.access import (
    can_see_product,
    managed_merchant,
    managed_product,
    managed_variant,
    manages_merchant,
    merchant_team_of,
    visible_categories,
    visible_merchants,
    visible_products,
    visible_variants,
)
from resolvers.catalog.categories import category_with_descendants, create_category
from resolvers.catalog.checks import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    CURRENCY_PATTERN,
    MAX_MEDIA,
    MAX_PRICE,
    MAX_TAGS,
    MAX_VARIANTS,
    SLUG_PATTERN,
    VariantSpec,
    check_money,
    check_slug,
    check_tags,
    check_text,
    check_urls,
    check_variant,
    sanitize_html,
    slugify,
)
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
    refresh_product_aggregates,
    update_product,
    update_variant,
)
from resolvers.catalog.queries import (
    RATING_SCORE_SQL,
    SORT_KEYS,
    ProductFilter,
    ProductSort,
    filtered_products,
    find_product,
    list_products,
    merchant_by_slug,
    top_categories,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "CURRENCY_PATTERN",
    "MAX_MEDIA",
    "MAX_PRICE",
    "MAX_TAGS",
    "MAX_VARIANTS",
    "RATING_SCORE_SQL",
    "SLUG_PATTERN",
    "SORT_KEYS",
    "ProductFilter",
    "ProductSort",
    "VariantSpec",
    "add_merchant_staff",
    "add_variant",
    "adjust_variant_stock",
    "can_see_product",
    "category_with_descendants",
    "check_money",
    "check_slug",
    "check_tags",
    "check_text",
    "check_urls",
    "check_variant",
    "create_category",
    "create_merchant",
    "create_product",
    "delete_variant",
    "filtered_products",
    "find_product",
    "list_products",
    "managed_merchant",
    "managed_product",
    "managed_variant",
    "manages_merchant",
    "merchant_by_slug",
    "merchant_team_of",
    "refresh_product_aggregates",
    "remove_merchant_staff",
    "sanitize_html",
    "slugify",
    "top_categories",
    "update_merchant",
    "update_product",
    "update_variant",
    "visible_categories",
    "visible_merchants",
    "visible_products",
    "visible_variants",
]
