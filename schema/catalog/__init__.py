"""GraphQL shape of the catalog: merchants, categories, products, variants, and their mutations."""

from __future__ import annotations

from schema.catalog.inputs import ProductFilter, VariantInput, VariantOptionInput
from schema.catalog.mutations import CatalogMutation
from schema.catalog.payloads import (
    CreateCategoryPayload,
    CreateCategorySuccess,
    CreateMerchantPayload,
    MerchantStaffPayload,
    MerchantSuccess,
    ProductPayload,
    ProductSuccess,
    UpdateMerchantPayload,
    VariantPayload,
    VariantSuccess,
)
from schema.catalog.queries import CatalogQuery
from schema.catalog.types import (
    Category,
    Merchant,
    PriceRange,
    Product,
    ProductSort,
    ProductStatus,
    Variant,
    VariantOption,
)

__all__ = [
    "CatalogMutation",
    "CatalogQuery",
    "Category",
    "CreateCategoryPayload",
    "CreateCategorySuccess",
    "CreateMerchantPayload",
    "Merchant",
    "MerchantStaffPayload",
    "MerchantSuccess",
    "PriceRange",
    "Product",
    "ProductFilter",
    "ProductPayload",
    "ProductSort",
    "ProductStatus",
    "ProductSuccess",
    "UpdateMerchantPayload",
    "Variant",
    "VariantInput",
    "VariantOption",
    "VariantOptionInput",
    "VariantPayload",
    "VariantSuccess",
]
