"""What catalog mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalog.types import Category, Merchant, Product, Variant
from schema.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError


@strawberry.type(description="The merchant after the change.")
class MerchantSuccess:
    merchant: Merchant = strawberry.field(description="The merchant as it is now.")


@strawberry.type(description="The new category.")
class CreateCategorySuccess:
    category: Category = strawberry.field(description="The new category.")


@strawberry.type(description="The product after the change.")
class ProductSuccess:
    product: Product = strawberry.field(description="The product as it is now.")


@strawberry.type(description="The variant after the change.")
class VariantSuccess:
    variant: Variant = strawberry.field(
        description="The variant as it is now (as it was, after deleteVariant)."
    )


CreateMerchantPayload = Annotated[
    MerchantSuccess | ValidationError | ConflictError,
    strawberry.union(
        "CreateMerchantPayload", description="The new merchant, or why it could not be opened."
    ),
]

UpdateMerchantPayload = Annotated[
    MerchantSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "UpdateMerchantPayload", description="The merchant after the change, or why it was refused."
    ),
]

AddMerchantStaffPayload = Annotated[
    MerchantSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union(
        "AddMerchantStaffPayload", description="The merchant with its new staff member, or why not."
    ),
]

RemoveMerchantStaffPayload = Annotated[
    MerchantSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "RemoveMerchantStaffPayload",
        description="The merchant without that staff member, or why not.",
    ),
]

CreateCategoryPayload = Annotated[
    CreateCategorySuccess | ValidationError | NotFoundError | ConflictError,
    strawberry.union(
        "CreateCategoryPayload", description="The new category, or why it could not be added."
    ),
]

CreateProductPayload = Annotated[
    ProductSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union(
        "CreateProductPayload", description="The new product, or why it could not be created."
    ),
]

UpdateProductPayload = Annotated[
    ProductSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union(
        "UpdateProductPayload", description="The product after the change, or why it was refused."
    ),
]

AddVariantPayload = Annotated[
    VariantSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union(
        "AddVariantPayload", description="The new variant, or why it could not be added."
    ),
]

UpdateVariantPayload = Annotated[
    VariantSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "UpdateVariantPayload", description="The variant after the change, or why it was refused."
    ),
]

AdjustVariantStockPayload = Annotated[
    VariantSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "AdjustVariantStockPayload",
        description="The variant with its new stock, or why it was refused.",
    ),
]

DeleteVariantPayload = Annotated[
    VariantSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "DeleteVariantPayload", description="The deleted variant as it was, or why it was kept."
    ),
]
