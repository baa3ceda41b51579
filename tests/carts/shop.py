"""Commerce test support shared by tests/carts and tests/orders: documents, rows, API calls."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from strawberry import relay

from models.accounts import User
from models.attribution import SourceType
from models.carts import Cart, CartLine, Coupon, CouponKind
from models.catalog import Merchant, Product, Variant
from models.orders import LineStatus, Order, OrderLine, OrderStatus
from resolvers.carts import Attribution
from tests.utils import GraphQLClient, gid

_keys = itertools.count(1)

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical St",
    "city": "London",
    "postalCode": "N1 9GU",
    "country": "GB",
}

CART_FIELDS = """
  id status currency itemCount couponCode couponRejection
  subtotal { amount currency } discount { amount } total { amount currency }
  lines {
    id quantity quantityAvailable available
    unitPrice { amount } subtotal { amount } discount { amount } total { amount }
    variant { id sku }
    attribution { sourceType sourceId shareCode creator { handle } }
  }
"""
LINE_ERRORS = """
  ... on ValidationError { field message }
  ... on NotFoundError { resource message }
  ... on InsufficientStockError { variantId available message }
  ... on ProductUnavailableError { variantId message }
"""
COUPON_ERRORS = """
  ... on ValidationError { field message }
  ... on NotFoundError { resource message }
  ... on CouponNotApplicableError { reason message }
"""
ORDER_FIELDS = """
  id status currency expiresAt paidAt couponCode paymentDeclineCode refundStatus refundedAt
  subtotal { amount currency } discount { amount } total { amount currency }
  buyer { handle }
  shippingAddress { name country postalCode }
  lines {
    id productTitle variantTitle sku quantity status carrier trackingNumber productId
    unitPrice { amount } discount { amount } total { amount }
    attribution { sourceType sourceId shareCode creator { handle } }
  }
"""
DECLINED = "... on PaymentDeclinedError { declineCode message order { id status expiresAt } }"
CHECKOUT_ERRORS = f"""
  ... on ValidationError {{ field message }}
  ... on NotFoundError {{ resource message }}
  ... on OrderStateError {{ status message }}
  ... on InsufficientStockError {{ variantId available message }}
  ... on ProductUnavailableError {{ variantId message }}
  ... on CouponNotApplicableError {{ reason message }}
  ... on IdempotencyConflictError {{ idempotencyKey message }}
  {DECLINED}
"""
LIFECYCLE_ERRORS = """
  ... on ValidationError { field message }
  ... on NotFoundError { resource message }
  ... on PermissionDeniedError { message }
  ... on OrderStateError { status message }
"""
ADD_LINE = f"""
mutation($variant: ID!, $quantity: Int!, $cartToken: String, $attribution: AttributionInput) {{
  addCartLine(variantId: $variant, quantity: $quantity, cartToken: $cartToken,
              attribution: $attribution) {{
    __typename
    ... on AddCartLineSuccess {{ cart {{ {CART_FIELDS} }} }}
    {LINE_ERRORS}
  }}
}}
"""
UPDATE_LINE = f"""
mutation($line: ID!, $quantity: Int!, $cartToken: String) {{
  updateCartLine(lineId: $line, quantity: $quantity, cartToken: $cartToken) {{
    __typename
    ... on UpdateCartLineSuccess {{ cart {{ {CART_FIELDS} }} }}
    {LINE_ERRORS}
  }}
}}
"""
REMOVE_LINE = f"""
mutation($line: ID!, $cartToken: String) {{
  removeCartLine(lineId: $line, cartToken: $cartToken) {{
    __typename
    ... on RemoveCartLineSuccess {{ cart {{ {CART_FIELDS} }} }}
    ... on ValidationError {{ field message }}
    ... on NotFoundError {{ resource message }}
  }}
}}
"""
APPLY_COUPON = f"""
mutation($code: String!, $cartToken: String) {{
  applyCoupon(code: $code, cartToken: $cartToken) {{
    __typename
    ... on ApplyCouponSuccess {{ cart {{ {CART_FIELDS} }} }}
    {COUPON_ERRORS}
  }}
}}
"""
CART = f"query($cartToken: String) {{ cart(cartToken: $cartToken) {{ {CART_FIELDS} }} }}"
CREATE_CART = """
mutation { createCart { __typename ... on CreateCartSuccess { cartToken cart { id status } } } }
"""
CHECKOUT = f"""
mutation($cart: ID!, $key: String!, $address: ShippingAddressInput!, $payment: String!) {{
  checkout(cartId: $cart, idempotencyKey: $key, shippingAddress: $address,
           paymentToken: $payment) {{
    __typename
    ... on CheckoutSuccess {{ order {{ {ORDER_FIELDS} }} }}
    {CHECKOUT_ERRORS}
  }}
}}
"""
PAY_ORDER = f"""
mutation($order: ID!, $payment: String!) {{
  payOrder(orderId: $order, paymentToken: $payment) {{
    __typename
    ... on PayOrderSuccess {{ order {{ {ORDER_FIELDS} }} }}
    {LIFECYCLE_ERRORS}
    {DECLINED}
  }}
}}
"""


def order_mutation(name: str, arguments: str, parameters: str) -> str:
    """A lifecycle mutation document selecting the order on success, and every error."""
    success = name[0].upper() + name[1:] + "Success"
    return f"""
mutation({parameters}) {{
  {name}({arguments}) {{
    __typename
    ... on {success} {{ order {{ {ORDER_FIELDS} }} }}
    {LIFECYCLE_ERRORS}
  }}
}}
"""


CANCEL = order_mutation("cancelOrder", "orderId: $order", "$order: ID!")


def pk(global_id: str) -> int:
    return int(relay.GlobalID.from_id(global_id).node_id)


def new_key() -> str:
    return f"checkout-key-{next(_keys):06d}"


async def variant_of(product: Product, position: int = 0) -> Variant:
    return await Variant.get(product_id=product.id, position=position)


async def make_cart(
    user: User | None,
    items: list[tuple[Variant, int]],
    *,
    coupon: Coupon | None = None,
    attribution: Attribution | None = None,
    token_hash: str | None = None,
) -> Cart:
    """A cart row with lines, written directly (the API under test reads it)."""
    currency = "USD"
    if items:
        product = await Product.get(id=items[0][0].product_id)
        currency = product.currency
    cart = await Cart.create(
        user_id=user.id if user else None,
        token_hash=token_hash,
        currency=currency,
        coupon_id=coupon.id if coupon else None,
    )
    columns = attribution.columns() if attribution else {}
    for variant, quantity in items:
        await CartLine.create(cart_id=cart.id, variant_id=variant.id, quantity=quantity, **columns)
    return cart


async def make_coupon(merchant: Merchant | None, code: str, **fields: Any) -> Coupon:
    defaults: dict[str, Any] = {
        "kind": CouponKind.FIXED,
        "amount": 500,
        "currency": merchant.currency if merchant else "USD",
        "merchant_id": merchant.id if merchant else None,
        "max_uses_per_user": 1,
    }
    return await Coupon.create(code=code, **(defaults | fields))


async def make_order(
    buyer: User,
    items: list[tuple[Variant, int]],
    *,
    status: OrderStatus = OrderStatus.PAID,
    line_status: LineStatus = LineStatus.UNFULFILLED,
    payment_reference: str = "test_ch_fixture",
    creator: User | None = None,
    source: tuple[SourceType, int] | None = None,
    share_code: str | None = None,
    currency: str = "USD",
    expires_in: timedelta = timedelta(minutes=30),
) -> Order:
    """An order row with lines (stock untouched), for lifecycle and authorization tests."""
    total = 0
    rows = []
    for variant, quantity in items:
        product = await Product.get(id=variant.product_id)
        rows.append((variant, product, quantity))
        total += variant.price * quantity
    now = datetime.now(UTC)
    order = await Order.create(
        buyer_id=buyer.id,
        status=status,
        currency=currency,
        subtotal=total,
        discount=0,
        total=total,
        idempotency_key=new_key(),
        request_hash="0" * 64,
        shipping_address={
            "name": "Ada Lovelace",
            "line1": "12 Analytical St",
            "city": "London",
            "postal_code": "N1 9GU",
            "country": "GB",
        },
        payment_provider="test",
        payment_reference=payment_reference,
        expires_at=now + expires_in,
        paid_at=now if status is not OrderStatus.PENDING_PAYMENT else None,
    )
    for variant, product, quantity in rows:
        await OrderLine.create(
            order_id=order.id,
            merchant_id=product.merchant_id,
            variant_id=variant.id,
            product_id=product.id,
            product_title=product.title,
            variant_title=variant.title,
            sku=variant.sku,
            unit_price=variant.price,
            quantity=quantity,
            total=variant.price * quantity,
            status=line_status,
            creator_id=creator.id if creator else None,
            source_type=source[0] if source else None,
            source_id=source[1] if source else None,
            share_code=share_code,
        )
    return order


class Shop:
    """The commerce API as a buyer's frontend calls it."""

    def __init__(self, gql: GraphQLClient) -> None:
        self.gql = gql

    async def add(
        self,
        token: str | None,
        variant: Variant,
        quantity: int = 1,
        *,
        cart_token: str | None = None,
        attribution: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        variables = {
            "variant": gid("Variant", variant.id),
            "quantity": quantity,
            "cartToken": cart_token,
            "attribution": attribution,
        }
        data = await self.gql.data(ADD_LINE, variables, token=token)
        result: dict[str, Any] = data["addCartLine"]
        return result

    async def cart(self, token: str | None = None, cart_token: str | None = None) -> Any:
        return (await self.gql.data(CART, {"cartToken": cart_token}, token=token))["cart"]

    async def apply(
        self, token: str | None, code: str, cart_token: str | None = None
    ) -> dict[str, Any]:
        data = await self.gql.data(
            APPLY_COUPON, {"code": code, "cartToken": cart_token}, token=token
        )
        result: dict[str, Any] = data["applyCoupon"]
        return result

    async def checkout(
        self,
        token: str,
        cart: Cart | int,
        *,
        key: str | None = None,
        payment: str = "tok_ok",
        address: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        cart_id = cart if isinstance(cart, int) else cart.id
        variables = {
            "cart": gid("Cart", cart_id),
            "key": key or new_key(),
            "address": address or ADDRESS,
            "payment": payment,
        }
        data = await self.gql.data(CHECKOUT, variables, token=token)
        result: dict[str, Any] = data["checkout"]
        return result

    async def pay(self, token: str, order_id: int, payment: str = "tok_ok") -> dict[str, Any]:
        data = await self.gql.data(
            PAY_ORDER, {"order": gid("Order", order_id), "payment": payment}, token=token
        )
        result: dict[str, Any] = data["payOrder"]
        return result
