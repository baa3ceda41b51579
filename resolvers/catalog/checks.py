"""Input checks for catalog writes: slugs, text, sanitised HTML, media, tags, money, variants."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import nh3

from resolvers.errors import InvalidInput

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")
MAX_TAGS, MAX_VARIANTS, MAX_MEDIA = 20, 100, 20
MAX_PRICE = 10**12
# Stock columns are INTEGER (32-bit), and a product's total_stock sums up to MAX_VARIANTS of
# its variants: capped so that even that sum fits (100 x 10^7 < 2^31).
MAX_STOCK = 10**7
# What merchants may put in rich text: formatting and links, no scripts, styles or embeds.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "a",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@dataclass(frozen=True, slots=True)
class VariantSpec:
    sku: str
    title: str
    price: int
    stock: int = 0
    compare_at_price: int | None = None
    options: dict[str, str] = field(default_factory=dict)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "")  # "Lin's" -> "lins", not "lin-s"
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "item"


def check_slug(slug: str | None, fallback: str) -> str:
    cleaned = slug.strip().lower() if slug is not None else slugify(fallback)
    if not SLUG_PATTERN.match(cleaned) or len(cleaned) > 80:
        raise InvalidInput("slug", "A slug is lowercase letters, digits and single hyphens.")
    return cleaned


def check_text(value: str, field_name: str, *, maximum: int, minimum: int = 1) -> str:
    cleaned = " ".join(value.split())
    if not minimum <= len(cleaned) <= maximum:
        raise InvalidInput(field_name, f"Must be {minimum}-{maximum} characters.")
    return cleaned


def sanitize_html(html: str, field_name: str) -> str:
    if len(html) > 50_000:
        raise InvalidInput(field_name, "Rich text is at most 50,000 characters.")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )


def check_urls(urls: list[str], field_name: str) -> list[str]:
    if len(urls) > MAX_MEDIA:
        raise InvalidInput(field_name, f"At most {MAX_MEDIA} media items.")
    for url in urls:
        if not url.startswith("https://") or len(url) > 500:
            raise InvalidInput(field_name, "Media must be https URLs of at most 500 characters.")
    return urls


def check_tags(tags: Iterable[str]) -> list[str]:
    cleaned = list(dict.fromkeys(tag.strip().lower() for tag in tags if tag.strip()))
    if len(cleaned) > MAX_TAGS or any(len(tag) > 40 for tag in cleaned):
        raise InvalidInput("tags", f"At most {MAX_TAGS} tags of at most 40 characters.")
    return cleaned


def check_money(value: int | None, field_name: str) -> int | None:
    if value is not None and not 0 <= value <= MAX_PRICE:
        raise InvalidInput(field_name, "Amounts are whole minor units between 0 and 10^12.")
    return value


def check_stock(stock: int, field_name: str) -> int:
    if stock < 0:
        raise InvalidInput(field_name, "Stock cannot be negative.")
    if stock > MAX_STOCK:
        raise InvalidInput(field_name, f"Stock is at most {MAX_STOCK:,} units per variant.")
    return stock


def check_variant(spec: VariantSpec, field_name: str = "variants") -> VariantSpec:
    if not 1 <= len(spec.sku.strip()) <= 64:
        raise InvalidInput(field_name, "A SKU is 1-64 characters.")
    check_text(spec.title, field_name, maximum=120)
    check_money(spec.price, field_name)
    check_money(spec.compare_at_price, field_name)
    check_stock(spec.stock, field_name)
    if len(spec.options) > 5 or any(len(k) > 30 or len(v) > 60 for k, v in spec.options.items()):
        raise InvalidInput(field_name, "At most 5 options, names <= 30 and values <= 60 chars.")
    return spec
