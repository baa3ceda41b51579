"""Input checks for creator profiles and verification applications."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from urllib.parse import urlsplit

from resolvers.errors import InvalidInput

HEADLINE_MAX, MAX_CATEGORIES = 120, 5
MESSAGE_MAX, MAX_LINKS, LINK_MAX, REASON_MAX = 2000, 5, 500, 500


def _has_control(text: str, *, newlines: bool) -> bool:
    allowed = {"\n", "\t"} if newlines else set()
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def check_headline(headline: str) -> str:
    """Plain text on one line, at most 120 characters; empty clears it."""
    cleaned = headline.strip()
    if len(cleaned) > HEADLINE_MAX:
        raise InvalidInput("headline", f"At most {HEADLINE_MAX} characters.")
    if _has_control(cleaned, newlines=False):
        raise InvalidInput("headline", "Plain text on one line: no control characters.")
    return cleaned


def check_category_count(category_ids: Sequence[int]) -> list[int]:
    """The ids in the order given, duplicates dropped; at most five."""
    unique = list(dict.fromkeys(category_ids))
    if len(unique) > MAX_CATEGORIES:
        raise InvalidInput("categoryIds", f"At most {MAX_CATEGORIES} categories.")
    return unique


def check_message(message: str) -> str:
    cleaned = message.strip()
    if len(cleaned) > MESSAGE_MAX:
        raise InvalidInput("input.message", f"At most {MESSAGE_MAX} characters.")
    if _has_control(cleaned, newlines=True):
        raise InvalidInput("input.message", "Plain text: no control characters.")
    return cleaned


def check_links(links: Sequence[str]) -> list[str]:
    """At most five absolute http(s) URLs with a host, each at most 500 characters."""
    if len(links) > MAX_LINKS:
        raise InvalidInput("input.links", f"At most {MAX_LINKS} links.")
    cleaned = []
    for link in links:
        url = link.strip()
        if len(url) > LINK_MAX or not _is_web_url(url):
            raise InvalidInput(
                "input.links", f"Each link must be an http(s) URL of at most {LINK_MAX} characters."
            )
        cleaned.append(url)
    return cleaned


def _is_web_url(url: str) -> bool:
    if _has_control(url, newlines=False) or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 -- raises for a port that is not a number in range
    except ValueError:  # e.g. a bad port or an unbalanced IPv6 bracket
        return False
    return parts.scheme in ("http", "https") and bool(hostname)


def check_reason(reason: str) -> str:
    """Why an admin decided so: 1-500 characters, told to the applicant."""
    cleaned = reason.strip()
    if not cleaned or len(cleaned) > REASON_MAX:
        raise InvalidInput("reason", f"Give a reason of 1-{REASON_MAX} characters.")
    if _has_control(cleaned, newlines=True):
        raise InvalidInput("reason", "Plain text: no control characters.")
    return cleaned
