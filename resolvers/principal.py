"""Who is calling: anonymous, a user's session, or an app acting for its owner with scopes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.accounts import Role, User
from models.apps import App


class Scope(StrEnum):
    READ_ACCOUNT = "read:account"
    READ_CONTENT = "read:content"
    WRITE_CONTENT = "write:content"
    READ_COMMERCE = "read:commerce"
    WRITE_COMMERCE = "write:commerce"
    READ_ORDERS = "read:orders"
    WRITE_ORDERS = "write:orders"
    READ_ANALYTICS = "read:analytics"
    WEBHOOKS = "webhooks"


SCOPE_DESCRIPTIONS: dict[Scope, str] = {
    Scope.READ_ACCOUNT: "Read the owner's private account data (email, apps).",
    Scope.READ_CONTENT: (
        "Read posts, tutorials, reviews and communities, including drafts the owner may see."
    ),
    Scope.WRITE_CONTENT: "Publish and edit content as the owner.",
    Scope.READ_COMMERCE: "Read the owner's catalog, carts and commerce data.",
    Scope.WRITE_COMMERCE: "Manage the owner's catalog and inventory.",
    Scope.READ_ORDERS: "Read orders the owner may see.",
    Scope.WRITE_ORDERS: "Place and manage orders as the owner.",
    Scope.READ_ANALYTICS: "Read attribution and analytics for the owner's content and stores.",
    Scope.WEBHOOKS: "Manage webhook subscriptions.",
}

_SHOPPER = frozenset(
    {
        Scope.READ_ACCOUNT,
        Scope.READ_CONTENT,
        Scope.WRITE_CONTENT,
        Scope.READ_COMMERCE,
        Scope.READ_ORDERS,
        Scope.WRITE_ORDERS,
    }
)
_CREATOR = _SHOPPER | {Scope.READ_ANALYTICS, Scope.WEBHOOKS}

# What each role may do at all; an app's scopes are cut down to its owner's role on every request.
ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.SHOPPER: _SHOPPER,
    Role.CREATOR: _CREATOR,
    Role.MERCHANT: _CREATOR | {Scope.WRITE_COMMERCE},
    Role.MODERATOR: frozenset(Scope),
    Role.ADMIN: frozenset(Scope),
}


@dataclass(frozen=True, slots=True)
class Principal:
    user: User | None = None
    app: App | None = None
    session_id: int | None = None
    app_token_id: int | None = None
    scopes: frozenset[Scope] = frozenset()

    @property
    def is_anonymous(self) -> bool:
        return self.user is None

    @property
    def is_app(self) -> bool:
        return self.app is not None

    @classmethod
    def for_session(cls, user: User, session_id: int) -> Principal:
        return cls(user=user, session_id=session_id, scopes=ROLE_SCOPES[user.role])

    @classmethod
    def for_app(cls, app: App, owner: User, token_id: int) -> Principal:
        granted = {Scope(scope) for scope in app.scopes if scope in Scope.__members__.values()}
        return cls(
            user=owner,
            app=app,
            app_token_id=token_id,
            scopes=frozenset(granted) & ROLE_SCOPES[owner.role],
        )


ANONYMOUS = Principal()
