"""Per-request state handed to every resolver: who is calling, fresh loaders, the clients."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from redis.asyncio import Redis
from saq.queue.base import Queue
from starlette.requests import Request
from strawberry.dataloader import DataLoader

from models.accounts import User
from models.apps import App, AppToken
from models.carts import Cart, CartLine, Coupon
from models.catalog import Category, Merchant, Product, ProductTag, Variant
from models.orders import Order, OrderLine
from models.reviews import Review, ReviewReport
from resolvers.loading import by_id_loader, grouped_loader
from resolvers.orders import managed_merchants_loader
from resolvers.principal import Principal
from resolvers.reviews import load_review_votes
from settings import Settings
from storage.cache import Keys
from storage.media import Storage


@dataclass(slots=True)
class Loaders:
    """One set per request: their caches must never outlive it."""

    user_by_id: DataLoader[int, User | None]
    app_by_id: DataLoader[int, App | None]
    apps_by_owner: DataLoader[int, list[App]]
    tokens_by_app: DataLoader[int, list[AppToken]]
    merchant_by_id: DataLoader[int, Merchant | None]
    category_by_id: DataLoader[int, Category | None]
    product_by_id: DataLoader[int, Product | None]
    variant_by_id: DataLoader[int, Variant | None]
    variants_by_product: DataLoader[int, list[Variant]]
    tags_by_product: DataLoader[int, list[ProductTag]]
    categories_by_parent: DataLoader[int, list[Category]]
    review_by_id: DataLoader[int, Review | None]
    review_votes: DataLoader[tuple[int, int], bool]  # (user id, review id): voted helpful?
    reports_by_review: DataLoader[int, list[ReviewReport]]
    cart_by_id: DataLoader[int, Cart | None]
    lines_by_cart: DataLoader[int, list[CartLine]]
    cart_line_by_id: DataLoader[int, CartLine | None]
    coupon_by_id: DataLoader[int, Coupon | None]
    order_by_id: DataLoader[int, Order | None]
    lines_by_order: DataLoader[int, list[OrderLine]]
    order_line_by_id: DataLoader[int, OrderLine | None]
    managed_merchants_by_user: DataLoader[int, frozenset[int]]  # merchants owned or staffed

    @classmethod
    def create(cls) -> Loaders:
        return cls(
            user_by_id=by_id_loader(User),
            app_by_id=by_id_loader(App),
            apps_by_owner=grouped_loader(App, "owner_id", order_by=("-id",)),
            tokens_by_app=grouped_loader(AppToken, "app_id", order_by=("-id",)),
            merchant_by_id=by_id_loader(Merchant),
            category_by_id=by_id_loader(Category),
            product_by_id=by_id_loader(Product),
            variant_by_id=by_id_loader(Variant),
            variants_by_product=grouped_loader(Variant, "product_id", order_by=("position", "id")),
            tags_by_product=grouped_loader(ProductTag, "product_id", order_by=("tag",)),
            categories_by_parent=grouped_loader(
                Category, "parent_id", order_by=("position", "name")
            ),
            review_by_id=by_id_loader(Review),
            review_votes=DataLoader(load_fn=load_review_votes),
            reports_by_review=grouped_loader(ReviewReport, "review_id", order_by=("-id",)),
            cart_by_id=by_id_loader(Cart),
            lines_by_cart=grouped_loader(CartLine, "cart_id"),
            cart_line_by_id=by_id_loader(CartLine),
            coupon_by_id=by_id_loader(Coupon),
            order_by_id=by_id_loader(Order),
            lines_by_order=grouped_loader(OrderLine, "order_id"),
            order_line_by_id=by_id_loader(OrderLine),
            managed_merchants_by_user=managed_merchants_loader(),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Services:
    """Long-lived clients opened by the app's lifespan and shared by every request."""

    settings: Settings
    redis: Redis
    keys: Keys
    storage: Storage
    queue: Queue


@dataclass(slots=True, kw_only=True)
class Context:
    request: Request
    request_id: str
    principal: Principal
    services: Services
    loaders: Loaders = field(default_factory=Loaders.create)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def redis(self) -> Redis:
        return self.services.redis

    @property
    def keys(self) -> Keys:
        return self.services.keys

    @property
    def client_ip(self) -> str:
        return self.request.client.host if self.request.client else "unknown"

    @property
    def client_network(self) -> str:
        """Whom per-address limits count: the IPv4 address, or the IPv6 /64.

        One IPv6 host commonly holds a whole /64, so counting single addresses would let it
        step around every limit.
        """
        try:
            address = ipaddress.ip_address(self.client_ip)
        except ValueError:
            return self.client_ip
        if address.version == 6:
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        return str(address)
