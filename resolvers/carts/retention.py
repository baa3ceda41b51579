"""Anonymous carts nobody came back to are deleted, so they cannot pile up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from models.carts import Cart, CartLine

# An anonymous cart untouched (the cart and every line) this long is deleted with its lines.
ANONYMOUS_CART_RETENTION = timedelta(days=30)
# Deleted in batches so one run never holds a long lock on a big backlog.
PURGE_BATCH = 1000


async def purge_stale_anonymous_carts(now: datetime | None = None) -> int:
    """Delete open or merged anonymous carts idle past the retention; returns how many.

    Users' carts are never purged. Only signed-in users check out, so no order refers to an
    anonymous cart.
    """
    cutoff = (now or datetime.now(UTC)) - ANONYMOUS_CART_RETENTION

    def _idle() -> QuerySet[Cart]:
        recently_touched = Subquery(CartLine.filter(updated_at__gte=cutoff).values("cart_id"))
        return Cart.filter(user_id=None, updated_at__lt=cutoff).exclude(id__in=recently_touched)

    purged = 0
    while True:
        ids = await _idle().limit(PURGE_BATCH).values_list("id", flat=True)
        if not ids:
            return purged
        # The DELETE repeats the idleness test, so a cart touched since the SELECT survives.
        await _idle().filter(id__in=ids).delete()
        # Counted, not taken from DELETE: SQLite's count includes the cascaded lines.
        purged += len(ids) - await Cart.filter(id__in=ids).count()
