"""GraphQL shape of the catalog: merchants, categories, products, variants, and their mutations."""

from __future__ import annotations

from schema.catalog.mutations import CatalogMutation
from schema.catalog.queries import CatalogQuery
from schema.catalog.types import Category, Merchant, Product, Variant

__all__ = ["CatalogMutation", "CatalogQuery", "Category", "Merchant", "Product", "Variant"]
