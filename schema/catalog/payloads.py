"""What catalog mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalog.types import Category, Merchant, Product, Variant
from schema.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError


@strawberry.type(description="The merchant after the change.")
class MerchantSuccess:
    merchant: Merchant


@strawberry.type(description="The new category.")
class CreateCategorySuccess:
    category: Category


@strawberry.type(description="The product after the change.")
class ProductSuccess:
    product: Product


@strawberry.type(description="The variant after the change.")
class VariantSuccess:
    variant: Variant


CreateMerchantPayload = Annotated[
    MerchantSuccess | ValidationError | ConflictError, strawberry.union("CreateMerchantPayload")
]
UpdateMerchantPayload = Annotated[
    MerchantSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("UpdateMerchantPayload"),
]
MerchantStaffPayload = Annotated[
    MerchantSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("MerchantStaffPayload"),
]
CreateCategoryPayload = Annotated[
    CreateCategorySuccess | ValidationError | NotFoundError | ConflictError,
    strawberry.union("CreateCategoryPayload"),
]
ProductPayload = Annotated[
    ProductSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("ProductPayload"),
]
VariantPayload = Annotated[
    VariantSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("VariantPayload"),
]
