"""Checkout: orders from carts, snapshots, stock, idempotency, payment, and the races."""

from __future__ import annotations

import asyncio

import pytest

from models.accounts import Role
from models.attribution import SourceType
from models.carts import Cart, CartStatus, Coupon, CouponKind
from models.catalog import Product, Variant
from models.orders import CouponRedemption, Order, OrderLine, OrderStatus
from resolvers.carts import Attribution
from tests.carts.shop import (
    ADDRESS,
    CHECKOUT,
    Shop,
    make_cart,
    make_coupon,
    new_key,
    pk,
    variant_of,
)
from tests.factories import MakeApp, MakeAppToken, MakeMerchant, MakeProduct, MakeUser, SignIn
from tests.utils import GraphQLClient, gid


@pytest.mark.smoke
async def test_checkout_places_a_paid_order_with_snapshots(
    shop: Shop, sign_in: SignIn, make_user: MakeUser, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    creator = await make_user(role=Role.CREATOR, handle="chef_x")
    product = await make_product(title="Kettle", variants=[(2500, 5), (4000, 3)])
    small, large = await variant_of(product, 0), await variant_of(product, 1)
    cart = await make_cart(
        buyer.user,
        [(small, 2), (large, 1)],
        attribution=Attribution(SourceType.POST, 77, creator.id, "abc123"),
    )

    result = await shop.checkout(buyer.token, cart)

    assert result["__typename"] == "CheckoutSuccess", result
    order = result["order"]
    assert order["status"] == "PAID"
    assert order["total"] == {"amount": 9000, "currency": "USD"}
    assert order["shippingAddress"] == {
        "name": "Ada Lovelace",
        "country": "GB",
        "postalCode": "N1 9GU",
    }
    assert [(ln["sku"], ln["quantity"], ln["unitPrice"]["amount"]) for ln in order["lines"]] == [
        (small.sku, 2, 2500),
        (large.sku, 1, 4000),
    ]
    assert order["lines"][0]["productTitle"] == "Kettle"
    assert order["lines"][0]["attribution"] == {
        "sourceType": "POST",
        "sourceId": gid("Post", 77),
        "shareCode": "abc123",
        "creator": {"handle": "chef_x"},
    }
    assert (await Variant.get(id=small.id)).stock == 3
    assert (await Variant.get(id=large.id)).stock == 2
    refreshed = await Product.get(id=product.id)
    assert (refreshed.total_stock, refreshed.units_sold) == (5, 3)
    assert (await Cart.get(id=cart.id)).status is CartStatus.CHECKED_OUT
    row = await Order.get(id=pk(order["id"]))
    assert row.payment_reference.startswith("test_ch_")
    assert row.paid_at is not None

    # The snapshot does not follow later catalog changes.
    await Product.filter(id=product.id).update(title="Kettle 2")
    await Variant.filter(id=small.id).update(price=9999)
    again = await shop.gql.data(
        "query($id: ID!) { order(id: $id) { lines { productTitle unitPrice { amount } } } }",
        {"id": order["id"]},
        token=buyer.token,
    )
    assert again["order"]["lines"][0] == {"productTitle": "Kettle", "unitPrice": {"amount": 2500}}


@pytest.mark.smoke
async def test_coupon_discount_is_split_exactly_and_redeemed(
    shop: Shop, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    merchant = await make_merchant()
    a = await make_product(merchant=merchant, variants=[(1001, 10)])
    b = await make_product(merchant=merchant, variants=[(2003, 10)])
    coupon = await make_coupon(merchant, "TENOFF", kind=CouponKind.PERCENT, amount=10)
    cart = await make_cart(buyer.user, [(await variant_of(a), 1), (await variant_of(b), 2)])
    assert (await shop.apply(buyer.token, "tenoff"))["__typename"] == "ApplyCouponSuccess"

    result = await shop.checkout(buyer.token, cart)

    order = result["order"]
    assert order["subtotal"]["amount"] == 5007
    assert order["discount"]["amount"] == 500  # 10% of 5007, floored
    assert order["total"]["amount"] == 4507
    assert order["couponCode"] == "TENOFF"
    lines = await OrderLine.filter(order_id=pk(order["id"]))
    assert sum(line.discount for line in lines) == 500
    assert all(line.total == line.unit_price * line.quantity - line.discount for line in lines)
    assert (await Coupon.get(id=coupon.id)).uses == 1
    assert await CouponRedemption.filter(coupon_id=coupon.id, user_id=buyer.user.id).count() == 1


async def test_same_key_same_input_gives_the_same_order(
    shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    variant = await variant_of(await make_product(variants=[(1000, 5)]))
    cart = await make_cart(buyer.user, [(variant, 1)])
    key = new_key()

    first = await shop.checkout(buyer.token, cart, key=key)
    second = await shop.checkout(buyer.token, cart, key=key)

    assert first == second
    assert await Order.all().count() == 1
    assert (await Variant.get(id=variant.id)).stock == 4


async def test_same_key_different_input_is_a_conflict(
    shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    variant = await variant_of(await make_product(variants=[(1000, 5)]))
    cart = await make_cart(buyer.user, [(variant, 1)])
    key = new_key()
    await shop.checkout(buyer.token, cart, key=key)

    other = await shop.checkout(buyer.token, cart, key=key, address={**ADDRESS, "city": "Leeds"})

    assert other["__typename"] == "IdempotencyConflictError"
    assert other["idempotencyKey"] == key
    assert await Order.all().count() == 1


async def test_keys_belong_to_their_buyer(
    shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    variant = await variant_of(await make_product(variants=[(1000, 5)]))
    ann, bob = await sign_in(), await sign_in()
    key = new_key()

    one = await shop.checkout(ann.token, await make_cart(ann.user, [(variant, 1)]), key=key)
    two = await shop.checkout(bob.token, await make_cart(bob.user, [(variant, 1)]), key=key)

    assert one["order"]["id"] != two["order"]["id"]
    assert (await Variant.get(id=variant.id)).stock == 3


async def test_insufficient_stock_at_checkout_writes_nothing(
    shop: Shop, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    merchant = await make_merchant()
    plenty = await variant_of(await make_product(merchant=merchant, variants=[(1000, 10)]))
    scarce = await variant_of(await make_product(merchant=merchant, variants=[(1000, 3)]))
    coupon = await make_coupon(merchant, "FIVE", amount=500)
    cart = await make_cart(buyer.user, [(plenty, 2), (scarce, 3)], coupon=coupon)
    await Variant.filter(id=scarce.id).update(stock=2)  # sold elsewhere meanwhile

    result = await shop.checkout(buyer.token, cart)

    assert result == {
        "__typename": "InsufficientStockError",
        "variantId": gid("Variant", scarce.id),
        "available": 2,
        "message": "Only 2 left of this item.",
    }
    assert await Order.all().count() == 0
    assert (await Variant.get(id=plenty.id)).stock == 10
    assert (await Cart.get(id=cart.id)).status is CartStatus.OPEN
    assert (await Coupon.get(id=coupon.id)).uses == 0


async def test_empty_and_foreign_carts(
    shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    buyer, other = await sign_in(), await sign_in()
    variant = await variant_of(await make_product())
    empty = await make_cart(buyer.user, [])
    theirs = await make_cart(other.user, [(variant, 1)])

    assert (await shop.checkout(buyer.token, empty))["field"] == "cartId"
    assert (await shop.checkout(buyer.token, theirs))["__typename"] == "NotFoundError"
    bad = await shop.checkout(buyer.token, theirs, address={**ADDRESS, "country": "Britain"})
    assert bad["field"] == "shippingAddress.country"


@pytest.mark.smoke
async def test_declined_payment_keeps_the_order_unpaid_until_paid(
    shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    variant = await variant_of(await make_product(variants=[(1500, 4)]))
    cart = await make_cart(buyer.user, [(variant, 2)])
    key = new_key()

    declined = await shop.checkout(buyer.token, cart, key=key, payment="tok_declined")

    assert declined["__typename"] == "PaymentDeclinedError"
    assert declined["declineCode"] == "card_declined"
    assert declined["order"]["status"] == "PENDING_PAYMENT"
    order_id = pk(declined["order"]["id"])
    assert (await Variant.get(id=variant.id)).stock == 2  # held until expiry
    assert (await shop.checkout(buyer.token, cart, key=key, payment="tok_declined")) == declined

    again = await shop.pay(buyer.token, order_id, payment="tok_insufficient_funds")
    assert again["declineCode"] == "insufficient_funds"
    paid = await shop.pay(buyer.token, order_id)
    assert paid["__typename"] == "PayOrderSuccess"
    assert paid["order"]["status"] == "PAID"
    assert paid["order"]["paymentDeclineCode"] is None
    assert (await Product.get(id=variant.product_id)).units_sold == 2

    twice = await shop.pay(buyer.token, order_id)
    assert twice["__typename"] == "OrderStateError"
    assert twice["status"] == "PAID"
    # The original request replayed now answers with the order as it stands.
    replay = await shop.checkout(buyer.token, cart, key=key, payment="tok_declined")
    assert replay["__typename"] == "CheckoutSuccess"
    assert replay["order"]["status"] == "PAID"


async def test_provider_outage_and_capture_failure_are_declines(
    shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    variant = await variant_of(await make_product(variants=[(1500, 4)]))

    down = await shop.checkout(
        buyer.token, await make_cart(buyer.user, [(variant, 1)]), payment="tok_unavailable"
    )
    capture = await shop.checkout(
        buyer.token, await make_cart(buyer.user, [(variant, 1)]), payment="tok_capture_fails"
    )

    assert down["declineCode"] == "provider_unavailable"
    assert capture["declineCode"] == "capture_failed"
    assert await Order.filter(status=OrderStatus.PENDING_PAYMENT).count() == 2


async def test_app_with_write_orders_can_check_out(
    shop: Shop,
    sign_in: SignIn,
    make_product: MakeProduct,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> None:
    buyer = await sign_in()
    app = await make_app(buyer.user, scopes=["write:orders", "read:orders"])
    token = await make_app_token(app)
    cart = await make_cart(buyer.user, [(await variant_of(await make_product()), 1)])

    result = await shop.checkout(token, cart)

    assert result["__typename"] == "CheckoutSuccess"


# ---- the races from the issue ---------------------------------------------------------------


async def test_fifty_concurrent_checkouts_for_ten_units(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    product = await make_product(variants=[(1200, 10)])
    variant = await variant_of(product)
    buyers = [await sign_in() for _ in range(50)]
    carts = [await make_cart(buyer.user, [(variant, 1)]) for buyer in buyers]

    responses = await asyncio.gather(
        *(
            gql.post(
                CHECKOUT,
                {
                    "cart": gid("Cart", cart.id),
                    "key": new_key(),
                    "address": ADDRESS,
                    "payment": "tok_ok",
                },
                token=buyer.token,
            )
            for buyer, cart in zip(buyers, carts, strict=True)
        )
    )

    assert all(r.status == 200 and not r.errors for r in responses), [r.body for r in responses]
    kinds = [r.data["checkout"]["__typename"] for r in responses]
    assert kinds.count("CheckoutSuccess") == 10
    assert kinds.count("InsufficientStockError") == 40
    assert await Order.all().count() == 10
    assert await Order.filter(status=OrderStatus.PAID).count() == 10
    assert await OrderLine.all().count() == 10
    assert (await Variant.get(id=variant.id)).stock == 0
    refreshed = await Product.get(id=product.id)
    assert (refreshed.total_stock, refreshed.units_sold) == (0, 10)


async def test_twenty_identical_concurrent_checkouts_make_one_order(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    merchant = await make_merchant()
    variant = await variant_of(await make_product(merchant=merchant, variants=[(1200, 10)]))
    coupon = await make_coupon(merchant, "ONCE", amount=200)
    cart = await make_cart(buyer.user, [(variant, 3)], coupon=coupon)
    variables = {
        "cart": gid("Cart", cart.id),
        "key": "same-key-for-all-twenty",
        "address": ADDRESS,
        "payment": "tok_ok",
    }

    responses = await asyncio.gather(
        *(gql.post(CHECKOUT, variables, token=buyer.token) for _ in range(20))
    )

    # extensions.cost.throttleStatus is each request's own budget; the results are identical.
    bodies = [{k: v for k, v in r.body.items() if k != "extensions"} for r in responses]
    assert all(r.status == 200 and not r.errors for r in responses), bodies
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["data"]["checkout"]["__typename"] == "CheckoutSuccess"
    assert bodies[0]["data"]["checkout"]["order"]["status"] == "PAID"
    assert await Order.all().count() == 1
    assert (await Variant.get(id=variant.id)).stock == 7
    assert (await Coupon.get(id=coupon.id)).uses == 1
    assert await CouponRedemption.all().count() == 1


async def test_another_payment_token_is_another_input(
    shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    cart = await make_cart(buyer.user, [(await variant_of(await make_product()), 1)])
    key = new_key()
    first = await shop.checkout(buyer.token, cart, key=key, payment="tok_declined")

    other = await shop.checkout(buyer.token, cart, key=key, payment="tok_ok")

    assert first["__typename"] == "PaymentDeclinedError"
    assert other["__typename"] == "IdempotencyConflictError"
    row = await Order.get(id=pk(first["order"]["id"]))
    assert len(row.request_hash) == 64  # SHA-256 hex; the token itself is never stored
    assert "tok_declined" not in str(row.shipping_address) + row.request_hash
