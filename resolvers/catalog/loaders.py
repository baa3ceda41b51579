"""The catalog's per-request loaders (see resolvers/loading.py)."""

from __future__ import annotations

from collections import defaultdict

from models.catalog import Category, Merchant, MerchantStaff, Product, ProductTag, Variant
from resolvers.loading import LoaderSpec, by_id, grouped

merchant_by_id = by_id(Merchant)
category_by_id = by_id(Category)
product_by_id = by_id(Product)
variant_by_id = by_id(Variant)
variants_by_product = grouped(Variant, "product_id", order_by=("position", "id"))
tags_by_product = grouped(ProductTag, "product_id", order_by=("tag",))
categories_by_parent = grouped(Category, "parent_id", order_by=("position", "name"))


async def _load_merchant_teams(user_ids: list[int]) -> list[frozenset[int]]:
    owned = await Merchant.filter(owner_id__in=user_ids).values_list("owner_id", "id")
    staffed = await MerchantStaff.filter(user_id__in=user_ids).values_list("user_id", "merchant_id")
    found: defaultdict[int, set[int]] = defaultdict(set)
    for user_id, merchant_id in [*owned, *staffed]:
        found[int(user_id)].add(int(merchant_id))
    return [frozenset(found[user_id]) for user_id in user_ids]


# The merchants each user owns or staffs: the merchant team rule, batched.
merchant_teams_by_user = LoaderSpec("merchant_teams_by_user", _load_merchant_teams)
