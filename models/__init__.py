"""Tortoise models, one module per domain. Declarations only: queries live in resolvers/."""

MODEL_MODULES = [
    "models.accounts",
    "models.apps",
    "models.catalog",
    "models.carts",
    "models.orders",
    "models.reviews",
    "models.documents",
    "models.content",
    "models.media",
    "models.creators",
    "models.social",
    "models.events",
    "models.comments",
    "models.reactions",
    "models.communities",
    "models.notifications",
    "models.moderation",
    "models.webhooks",
]
