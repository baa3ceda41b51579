"""The media's per-request loaders (see resolvers/loading.py)."""

from __future__ import annotations

from models.media import Media
from resolvers.loading import by_id

# Every Product.media and Review.media of a request resolves through this one batch.
media_by_id = by_id(Media)
