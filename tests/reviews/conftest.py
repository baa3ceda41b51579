"""Review fixtures: orders with lines in a given state, written straight to the database."""

from __future__ import annotations

import pytest

from tests.reviews.support import MakeLine, delivered_line


@pytest.fixture
def make_delivered_line() -> MakeLine:
    """An order of `buyer` with one line of `product`, in `status` (delivered by default)."""
    return delivered_line
