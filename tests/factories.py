"""Factories for test data. They write rows directly; the API under test reads them."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from argon2 import PasswordHasher

from models.accounts import Role, Session, User
from models.apps import App, AppToken
from models.catalog import Category, Merchant, Product, ProductStatus, ProductTag, Variant
from resolvers.tokens import TokenKind, hash_token, new_token, token_hint

PASSWORD = "correct-horse-battery-9"
# Hashed once: argon2 is slow on purpose, and most tests only need some valid hash.
_PASSWORD_HASH = PasswordHasher().hash(PASSWORD)
_sequence = itertools.count(1)


@dataclass(frozen=True, slots=True)
class SignedInUser:
    user: User
    token: str


MakeUser = Callable[..., Awaitable[User]]
SignIn = Callable[..., Awaitable[SignedInUser]]
MakeApp = Callable[..., Awaitable[App]]
MakeAppToken = Callable[..., Awaitable[str]]


@pytest.fixture
def make_user() -> MakeUser:
    async def make(role: Role = Role.SHOPPER, handle: str | None = None, **fields: object) -> User:
        n = next(_sequence)
        handle = handle or f"user_{n}"
        defaults: dict[str, object] = {
            "email": f"{handle}@example.com",
            "handle": handle,
            "display_name": f"User {n}",
            "role": role,
            "password_hash": _PASSWORD_HASH,
        }
        return await User.create(**cast("dict[str, Any]", defaults | fields))

    return make


@pytest.fixture
def sign_in(make_user: MakeUser) -> SignIn:
    async def make(
        role: Role = Role.SHOPPER,
        user: User | None = None,
        expires_in: timedelta = timedelta(days=1),
    ) -> SignedInUser:
        user = user or await make_user(role=role)
        token = new_token(TokenKind.SESSION)
        await Session.create(
            user_id=user.id, token_hash=hash_token(token), expires_at=datetime.now(UTC) + expires_in
        )
        return SignedInUser(user=user, token=token)

    return make


@pytest.fixture
def make_app() -> MakeApp:
    async def make(owner: User, scopes: list[str] | None = None, name: str | None = None) -> App:
        return await App.create(
            owner_id=owner.id,
            name=name or f"app {next(_sequence)}",
            scopes=scopes if scopes is not None else ["read:content"],
        )

    return make


@pytest.fixture
def make_app_token() -> MakeAppToken:
    async def make(
        app: App, expires_in: timedelta = timedelta(days=1), revoked: bool = False
    ) -> str:
        token = new_token(TokenKind.APP)
        await AppToken.create(
            app_id=app.id,
            name="test",
            token_hash=hash_token(token),
            hint=token_hint(token),
            expires_at=datetime.now(UTC) + expires_in,
            revoked_at=datetime.now(UTC) if revoked else None,
        )
        return token

    return make


MakeMerchant = Callable[..., Awaitable[Merchant]]
MakeProduct = Callable[..., Awaitable[Product]]


@pytest.fixture
def make_merchant(make_user: MakeUser) -> MakeMerchant:
    async def make(
        owner: User | None = None, name: str | None = None, currency: str = "USD"
    ) -> Merchant:
        owner = owner or await make_user(role=Role.MERCHANT)
        n = next(_sequence)
        return await Merchant.create(
            owner_id=owner.id, name=name or f"Shop {n}", slug=f"shop-{n}", currency=currency
        )

    return make


@pytest.fixture
def make_product(make_merchant: MakeMerchant) -> MakeProduct:
    """A product with variants; `variants` is a list of (price, stock) pairs."""

    async def make(
        merchant: Merchant | None = None,
        title: str | None = None,
        variants: list[tuple[int, int]] | None = None,
        status: ProductStatus = ProductStatus.ACTIVE,
        tags: list[str] | None = None,
        category: Category | None = None,
    ) -> Product:
        merchant = merchant or await make_merchant()
        n = next(_sequence)
        specs = variants if variants is not None else [(1000, 10)]
        product = await Product.create(
            merchant_id=merchant.id,
            title=title or f"Product {n}",
            slug=f"product-{n}",
            status=status,
            currency=merchant.currency,
            category_id=category.id if category else None,
            min_price=min((price for price, _ in specs), default=0),
            total_stock=sum(stock for _, stock in specs),
        )
        for position, (price, stock) in enumerate(specs):
            await Variant.create(
                product_id=product.id,
                sku=f"SKU-{n}-{position}",
                title=f"Option {position + 1}",
                price=price,
                stock=stock,
                position=position,
            )
        for tag in tags or []:
            await ProductTag.create(product_id=product.id, tag=tag)
        return product

    return make
