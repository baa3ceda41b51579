"""Input checks for tutorials: summary, duration, steps and the parts list.

Every error names the field as the client sent it, with list positions counted from 0 as in
GraphQL paths: `steps.3.body`, `parts.0.quantity`, `steps.1.products.0.productId`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from resolvers.content.checks import render_markdown
from resolvers.errors import InvalidInput

SUMMARY_MAX, STEP_BODY_MAX, STEP_TITLE_MAX = 5_000, 20_000, 150
MAX_STEPS, MAX_PARTS, MAX_STEP_MEDIA, MAX_STEP_PRODUCTS = 50, 50, 10, 20
DURATION_MAX = 10_080  # a week, in minutes
PART_QUANTITY_MAX, NOTE_MAX = 99, 200


@dataclass(frozen=True, slots=True)
class ProductRef:
    """A product, optionally one of its variants."""

    product_id: int
    variant_id: int | None = None


@dataclass(frozen=True, slots=True)
class StepSpec:
    body: str
    title: str = ""
    media_ids: Sequence[int] = ()
    products: Sequence[ProductRef] = ()


@dataclass(frozen=True, slots=True)
class PartSpec:
    product_id: int
    variant_id: int | None = None
    quantity: int = 1
    note: str = ""


@dataclass(frozen=True, slots=True)
class CheckedStep:
    position: int
    title: str
    body: str
    body_html: str
    media_ids: list[int] = field(default_factory=list)
    products: list[ProductRef] = field(default_factory=list)


def check_summary(summary: str) -> str:
    cleaned = summary.strip()
    if len(cleaned) > SUMMARY_MAX:
        raise InvalidInput("summary", f"A summary is at most {SUMMARY_MAX:,} characters.")
    return cleaned


def check_duration(minutes: int) -> int:
    if not 1 <= minutes <= DURATION_MAX:
        raise InvalidInput("durationMinutes", f"A duration is 1-{DURATION_MAX} minutes.")
    return minutes


def check_steps(steps: Sequence[StepSpec]) -> list[CheckedStep]:
    """Titles, bodies and counts of the steps (their media and products are checked against
    the database by the writer)."""
    if len(steps) > MAX_STEPS:
        raise InvalidInput("steps", f"A tutorial has at most {MAX_STEPS} steps.")
    checked = []
    for n, step in enumerate(steps):
        title = " ".join(step.title.split())
        if len(title) > STEP_TITLE_MAX:
            raise InvalidInput(f"steps.{n}.title", f"A step title is at most {STEP_TITLE_MAX}.")
        body = step.body.strip()
        if not body:
            raise InvalidInput(f"steps.{n}.body", "Say what to do in this step.")
        if len(body) > STEP_BODY_MAX:
            raise InvalidInput(
                f"steps.{n}.body", f"A step is at most {STEP_BODY_MAX:,} characters of Markdown."
            )
        if len(step.media_ids) > MAX_STEP_MEDIA:
            raise InvalidInput(f"steps.{n}.mediaIds", f"At most {MAX_STEP_MEDIA} media a step.")
        if len(step.products) > MAX_STEP_PRODUCTS:
            raise InvalidInput(
                f"steps.{n}.products", f"At most {MAX_STEP_PRODUCTS} products a step."
            )
        products = list(dict.fromkeys(step.products))  # the same product twice says nothing more
        body_html = render_markdown(body)
        checked.append(CheckedStep(n, title, body, body_html, list(step.media_ids), products))
    return checked


def check_parts(parts: Sequence[PartSpec]) -> list[PartSpec]:
    if len(parts) > MAX_PARTS:
        raise InvalidInput("parts", f"A parts list has at most {MAX_PARTS} lines.")
    seen: set[ProductRef] = set()
    checked = []
    for n, part in enumerate(parts):
        if not 1 <= part.quantity <= PART_QUANTITY_MAX:
            raise InvalidInput(f"parts.{n}.quantity", f"A quantity is 1-{PART_QUANTITY_MAX}.")
        note = " ".join(part.note.split())
        if len(note) > NOTE_MAX:
            raise InvalidInput(f"parts.{n}.note", f"A note is at most {NOTE_MAX} characters.")
        ref = ProductRef(part.product_id, part.variant_id)
        if ref in seen:
            raise InvalidInput(f"parts.{n}.productId", "This product is listed already.")
        seen.add(ref)
        checked.append(PartSpec(part.product_id, part.variant_id, part.quantity, note))
    return checked
