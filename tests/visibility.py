"""Who may see each Node type: the registry tests/core/test_node_visibility.py walks.

Every type implementing `Node` must be here, either

- `Private(build)`: `build(world)` creates an object of the type that some callers may not see,
  and returns its global id, a caller who may see it (its owner) and those who may not; the test
  asserts `node(id:)` and `nodes(ids:)` give null to each of the latter and the object to the
  former (so it cannot pass vacuously); or
- `Public(reason, build)`: everyone may see every object of the type; `build(world)` returns
  the id of one, and the test asserts anonymous callers and other users get it.

The rules are each domain's `visible_<noun>s` in resolvers/, which every Node type's
`load_visible` (schema/nodes.py) goes through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from models.accounts import Role, Session, User
from models.apps import AppToken
from models.carts import CartLine
from models.catalog import Category, ProductStatus
from models.comments import Comment
from models.communities import Community, CommunityMember
from models.content import Post, PostRevision, Topic, Tutorial
from models.media import Media, MediaKind, MediaStatus
from models.moderation import ModerationItem
from models.notifications import Notification, NotificationKind, NotificationTargetKind
from models.orders import OrderLine
from models.reviews import Review, ReviewStatus
from models.webhooks import WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription
from resolvers.principal import ROLE_SCOPES, Scope
from tests.authz import World
from tests.carts.shop import make_cart, make_coupon, make_order, variant_of
from tests.comments.support import make_comment, make_tutorial
from tests.communities.support import INVITE, JOIN, act, create_community, published_in
from tests.content.support import create_post, published_post
from tests.content.tutorial_support import create_tutorial, part
from tests.creators.support import applied
from tests.moderation import support as mod_support
from tests.reviews.support import create, delivered_line
from tests.social.support import make_link
from tests.utils import gid
from tests.webhooks.support import subscribe, webhook_app


@dataclass(frozen=True, slots=True)
class Hidden:
    id: str  # the object's global id
    seer: str  # the token of a caller who may see it
    strangers: dict[str, str | None]  # who may not: label -> token (None: anonymous)


@dataclass(frozen=True, slots=True)
class Private:
    build: Callable[[World], Awaitable[Hidden]]


@dataclass(frozen=True, slots=True)
class Public:
    reason: str
    build: Callable[[World], Awaitable[str]]  # the global id of one object of the type


def strangers(w: World, *also: str, **apps: str) -> dict[str, str | None]:
    """Anonymous, another user, the world actors named, and the app tokens given."""
    found: dict[str, str | None] = {"anonymous": None, "other_user": w.other_user.token}
    for name in also:
        found[name] = getattr(w, name).token
    return found | apps


async def _app(w: World) -> Hidden:
    app = await w.make_app(w.buyer.user)
    others = strangers(
        w, "other_merchant", "moderator", owners_app=await w.app_token("buyer", None)
    )
    return Hidden(gid("App", app.id), w.buyer.token, others)


async def _app_token(w: World) -> Hidden:
    app = await w.make_app(w.buyer.user)
    await w.make_app_token(app)
    token = await AppToken.get(app_id=app.id)
    others = strangers(
        w, "other_merchant", "moderator", owners_app=await w.app_token("buyer", None)
    )
    return Hidden(gid("AppToken", token.id), w.buyer.token, others)


async def _cart(w: World) -> Hidden:
    cart = await make_cart(w.buyer.user, [(w.variant, 1)])
    app = await w.app_token("buyer", Scope.READ_COMMERCE)
    others = strangers(w, "seller", "moderator", app_without_read_commerce=app)
    return Hidden(gid("Cart", cart.id), w.buyer.token, others)


async def _cart_line(w: World) -> Hidden:
    cart = await make_cart(w.buyer.user, [(w.variant, 1)])
    line = await CartLine.get(cart_id=cart.id)
    app = await w.app_token("buyer", Scope.READ_COMMERCE)
    others = strangers(w, "seller", "moderator", app_without_read_commerce=app)
    return Hidden(gid("CartLine", line.id), w.buyer.token, others)


async def _coupon(w: World) -> Hidden:
    coupon = await make_coupon(w.merchant, "SEEN-BY-MANAGERS")
    app = await w.app_token("seller", Scope.READ_COMMERCE)
    others = strangers(w, "buyer", "other_merchant", app_without_read_commerce=app)
    return Hidden(gid("Coupon", coupon.id), w.seller.token, others)


async def _order(w: World) -> Hidden:
    order = await make_order(w.buyer.user, [(w.variant, 1)])
    app = await w.app_token("buyer", Scope.READ_ORDERS)
    others = strangers(w, "other_merchant", app_without_read_orders=app)
    return Hidden(gid("Order", order.id), w.buyer.token, others)


async def _order_line(w: World) -> Hidden:
    order = await make_order(w.buyer.user, [(w.variant, 1)])
    line = await OrderLine.get(order_id=order.id)
    app = await w.app_token("seller", Scope.READ_ORDERS)
    others = strangers(w, "other_merchant", app_without_read_orders=app)
    return Hidden(gid("OrderLine", line.id), w.seller.token, others)


async def _draft_product(w: World) -> Hidden:
    draft = await w.make_product(merchant=w.merchant, status=ProductStatus.DRAFT)
    return Hidden(gid("Product", draft.id), w.seller.token, strangers(w, "buyer", "other_merchant"))


async def _draft_variant(w: World) -> Hidden:
    draft = await w.make_product(merchant=w.merchant, status=ProductStatus.DRAFT)
    variant = await variant_of(draft)
    return Hidden(
        gid("Variant", variant.id), w.seller.token, strangers(w, "buyer", "other_merchant")
    )


async def _hidden_review(w: World) -> Hidden:
    await delivered_line(w.buyer.user, w.product)
    assert (await create(w.gql, w.buyer.token, w.product, 3))["__typename"] == "CreateReviewSuccess"
    review = await Review.get(product_id=w.product.id)
    await Review.filter(id=review.id).update(status=ReviewStatus.HIDDEN)
    # the author still sees it; the merchant does not (only authors and staff see hidden ones)
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    others = strangers(w, "seller", app_without_read_content=app)
    return Hidden(gid("Review", review.id), w.buyer.token, others)


async def _media(w: World) -> Hidden:
    # READY, even: by id a media is its owner's, since what it is attached to may be hidden.
    media = await Media.create(
        owner_id=w.buyer.user.id,
        kind=MediaKind.IMAGE,
        status=MediaStatus.READY,
        key=f"media/visibility-{w.buyer.user.id}/original.png",
        content_type="image/png",
        byte_size=100,
    )
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    others = strangers(w, "seller", "moderator", app_without_read_content=app)
    return Hidden(gid("Media", media.id), w.buyer.token, others)


async def _session(w: World) -> Hidden:
    session = await Session.get(user_id=w.buyer.user.id)
    # A session is its user's alone, in person: not even the user's own app sees it.
    app = await w.app_token("buyer", None)
    others = strangers(w, "seller", "admin", own_app=app)
    return Hidden(gid("Session", session.id), w.buyer.token, others)


async def _deactivated_user(w: World) -> Hidden:
    gone = await w.sign_in()
    await User.filter(id=gone.user.id).update(is_active=False)
    return Hidden(gid("User", gone.user.id), w.moderator.token, strangers(w, "seller"))


async def _draft_post(w: World) -> Hidden:
    post = await create_post(w.gql, w.buyer.token, topics=["drafts"])
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    # Not even moderators: unpublished posts are their author's and the admins' alone.
    others = strangers(w, "seller", "moderator", app_without_read_content=app)
    return Hidden(post["id"], w.buyer.token, others)


async def _draft_tutorial(w: World) -> Hidden:
    tutorial = await create_tutorial(w.gql, w.buyer.token, parts=[part(w.product)])
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    # As posts: unpublished tutorials are their author's and the admins' alone.
    others = strangers(w, "seller", "moderator", app_without_read_content=app)
    return Hidden(tutorial["id"], w.buyer.token, others)


async def _post_revision(w: World) -> Hidden:
    post = await published_post(w.gql, w.buyer.token)
    revision = await PostRevision.get(post__slug=post["slug"], number=1)
    # The post is public; its revisions (earlier wording) stay the author's and the admins'.
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    others = strangers(w, "seller", "moderator", app_without_read_content=app)
    return Hidden(gid("PostRevision", revision.id), w.buyer.token, others)


async def _unused_topic(w: World) -> Hidden:
    await create_post(w.gql, w.buyer.token, topics=["unannounced"])
    topic = await Topic.get(slug="unannounced")
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    # Only a draft carries it: its author and admins see it, not even moderators.
    others = strangers(w, "seller", "moderator", app_without_read_content=app)
    return Hidden(gid("Topic", topic.id), w.buyer.token, others)


async def _verification_application(w: World) -> Hidden:
    application = await applied(w.gql, w.buyer.token)
    # Its applicant's and the admins' alone: not moderators, not the applicant's app without
    # read:content.
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    others = strangers(w, "seller", "moderator", app_without_read_content=app)
    return Hidden(application, w.buyer.token, others)


async def _share_link(w: World) -> Hidden:
    link = await make_link(w.buyer.user.id, w.product.id, code="seen-by-its-sharer")
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    others = strangers(w, "seller", "moderator", app_without_read_content=app)
    return Hidden(gid("ShareLink", link.id), w.buyer.token, others)


async def _comment_on_draft_post(w: World) -> Hidden:
    post = await create_post(w.gql, w.buyer.token, title="Not out yet")
    comment = await make_comment(w.buyer.user.id, await Post.get(slug=post["slug"]), "note")
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    # Whoever sees the post sees its comments: its author and admins while it is a draft.
    others = strangers(w, "seller", "moderator", app_without_read_content=app)
    return Hidden(gid("Comment", comment.id), w.buyer.token, others)


async def _private_community(w: World) -> Hidden:
    community = await create_community(w.gql, w.buyer.token, "Hidden", visibility="PRIVATE")
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    # Not platform moderators either: only its members, invitees and admins.
    others = strangers(w, "seller", "moderator", app_without_read_content=app)
    return Hidden(community["id"], w.buyer.token, others)


async def _join_request(w: World) -> Hidden:
    owner = w.seller
    community = await create_community(w.gql, owner.token, "Asking", joinPolicy="APPROVAL")
    await act(w.gql, JOIN, w.buyer.token, c=community["id"])
    request = await CommunityMember.get(user_id=w.buyer.user.id)
    # A request is the asker's and the community's moderators'; members see members only.
    others = strangers(w, "moderator")
    return Hidden(gid("CommunityMember", request.id), w.buyer.token, others)


async def _private_community_post(w: World) -> Hidden:
    community = await create_community(w.gql, w.seller.token, "Crew", visibility="PRIVATE")
    await act(w.gql, INVITE, w.seller.token, c=community["id"], u=gid("User", w.buyer.user.id))
    await act(w.gql, JOIN, w.buyer.token, c=community["id"])
    post = await published_in(w.gql, w.seller.token, community["id"])
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    # Published, yet only for members (the buyer), its author and admins.
    others = strangers(w, "other_merchant", "moderator", member_app_without_read_content=app)
    return Hidden(post["id"], w.buyer.token, others)


async def _moderation_item(w: World) -> Hidden:
    post = await mod_support.make_post(w.buyer.user.id)
    await mod_support.report(w.gql, w.other_user.token, gid("Post", post.id))
    item = await ModerationItem.get(target_id=post.id)
    scopes = sorted(scope.value for scope in ROLE_SCOPES[Role.MODERATOR])
    app = await w.make_app_token(await w.make_app(w.moderator.user, scopes=scopes))
    # Staff in person; not its reporter (other_user), not the post's author, not apps.
    others = strangers(w, "buyer", "seller", moderators_app=app)
    return Hidden(gid("ModerationItem", item.id), w.moderator.token, others)


async def _hidden_post(w: World) -> Hidden:
    post = await mod_support.make_post(w.buyer.user.id, hidden_at=datetime.now(UTC))
    # Hidden by a moderator: its author (and staff) only.
    return Hidden(gid("Post", post.id), w.buyer.token, strangers(w, "seller", "other_merchant"))


async def _hidden_tutorial(w: World) -> Hidden:
    tutorial = await make_tutorial(w.buyer.user.id)
    await Tutorial.filter(id=tutorial.id).update(hidden_at=datetime.now(UTC))
    others = strangers(w, "seller", "other_merchant")
    return Hidden(gid("Tutorial", tutorial.id), w.buyer.token, others)


async def _hidden_comment(w: World) -> Hidden:
    post = await mod_support.make_post(w.seller.user.id)
    comment = await make_comment(w.buyer.user.id, post, "hidden")
    await Comment.filter(id=comment.id).update(hidden_at=datetime.now(UTC))
    # Its author and staff; not even the author of the post it is on.
    others = strangers(w, "seller", "other_merchant")
    return Hidden(gid("Comment", comment.id), w.buyer.token, others)


async def _hidden_community(w: World) -> Hidden:
    community = await mod_support.make_community(w.buyer.user.id)
    await Community.filter(id=community.id).update(hidden_at=datetime.now(UTC))
    # Site staff alone: not even its owner.
    others = strangers(w, "buyer", "seller")
    return Hidden(gid("Community", community.id), w.moderator.token, others)


async def _notification(w: World) -> Hidden:
    note = await Notification.create(
        recipient_id=w.buyer.user.id,
        kind=NotificationKind.NEW_FOLLOWER,
        target_kind=NotificationTargetKind.USER,
        target_id=w.buyer.user.id,
        actor_count=1,
        recent_actor_ids=[w.seller.user.id],
    )
    app = await w.app_token("buyer", Scope.READ_CONTENT)
    # Its recipient's inbox: not the actor, not staff, not an app without read:content.
    others = strangers(w, "seller", "moderator", "admin", app_without_read_content=app)
    return Hidden(gid("Notification", note.id), w.buyer.token, others)


async def _merchant(w: World) -> str:
    return gid("Merchant", w.merchant.id)


async def _category(w: World) -> str:
    category = await Category.create(name="Tea", slug="tea")
    return gid("Category", category.id)


async def _webhook_subscription(w: World) -> Hidden:
    app = await webhook_app(w.make_app, w.seller.user)
    found, _ = await subscribe(
        w.gql, w.seller.token, app, "https://hooks.example.com/a", ["order.paid"]
    )
    others = strangers(
        w,
        "buyer",
        "other_merchant",
        "moderator",
        # Another app of the same owner, every scope: one integration never sees another's.
        owners_other_app=await w.app_token("seller", None),
        owners_app_without_webhooks=await w.app_token("seller", Scope.WEBHOOKS),
    )
    return Hidden(found, w.seller.token, others)


async def _webhook_delivery(w: World) -> Hidden:
    hidden = await _webhook_subscription(w)
    row = await WebhookSubscription.get(url="https://hooks.example.com/a")
    delivery = await WebhookDelivery.create(
        subscription_id=row.id,
        event_id=1,
        event_type="order.paid",
        body="{}",
        status=WebhookDeliveryStatus.SUCCEEDED,
    )
    return Hidden(gid("WebhookDelivery", delivery.id), hidden.seer, hidden.strangers)


REGISTRY: dict[str, Private | Public] = {
    "App": Private(_app),  # its owner in person, and admins
    "AppToken": Private(_app_token),  # as its app
    "Cart": Private(_cart),  # its user (apps: read:commerce), and admins
    "CartLine": Private(_cart_line),  # as its cart
    "Coupon": Private(_coupon),  # its merchant's managers, and admins
    "Order": Private(_order),  # its buyer, the merchants of its lines, and admins
    "OrderLine": Private(_order_line),  # as its order, the merchant's own lines only
    "Product": Private(_draft_product),  # drafts and archived: the merchant's managers only
    "Variant": Private(_draft_variant),  # as its product
    "Review": Private(_hidden_review),  # hidden: its author and staff only
    "Media": Private(_media),  # by id: its uploader and admins only
    # Profiles are public, their private fields nulled field by field (tests/apps); a
    # deactivated account's profile is the staff's alone.
    "User": Private(_deactivated_user),
    "Session": Private(_session),  # its user, in person
    "Post": Private(_draft_post),  # unpublished: its author and admins only
    "PostRevision": Private(_post_revision),  # its post's author and admins only
    "Topic": Private(_unused_topic),
    "VerificationApplication": Private(_verification_application),  # applicant and admins
    "Tutorial": Private(_draft_tutorial),  # unpublished: its author and admins only
    "ShareLink": Private(_share_link),  # its sharer (apps: read:content) and admins only
    "Comment": Private(_comment_on_draft_post),  # whoever sees what it is on
    "Community": Private(_private_community),  # PRIVATE: members, invitees and admins only
    # Requests, invites, bans: the person and the community's moderators; members: readers.
    "CommunityMember": Private(_join_request),
    "Notification": Private(_notification),  # its recipient alone (apps: read:content)
    "ModerationItem": Private(_moderation_item),  # staff, and its community's moderators
    # The app's owner in person, admins, and the app's own tokens holding webhooks.
    "WebhookSubscription": Private(_webhook_subscription),
    "WebhookDelivery": Private(_webhook_delivery),  # as its subscription
    "Merchant": Public("storefronts are public; the merchant has no unpublished state", _merchant),
    "Category": Public(
        "the category tree is public; a category has no unpublished state", _category
    ),
}

# More cases of types registered above: a type's objects can be hidden for more than one
# reason, and each reason is walked like the registry's (tests/core/test_node_visibility.py).
ALSO: dict[str, tuple[str, Private]] = {
    "post in a private community": ("Post", Private(_private_community_post)),
    "post hidden by a moderator": ("Post", Private(_hidden_post)),
    "tutorial hidden by a moderator": ("Tutorial", Private(_hidden_tutorial)),
    "comment hidden by a moderator": ("Comment", Private(_hidden_comment)),
    "community hidden by a moderator": ("Community", Private(_hidden_community)),
}
