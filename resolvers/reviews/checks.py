"""Input checks for review writes: rating, title, plain-text bodies, photo URLs."""

from __future__ import annotations

from collections.abc import Iterable

from resolvers.errors import InvalidInput

TITLE_MAX, BODY_MAX, REPLY_MAX, REASON_MAX = 120, 5000, 2000, 500
MAX_PHOTOS, PHOTO_URL_MAX = 6, 500


def check_rating(rating: int, field_name: str = "rating") -> int:
    if not 1 <= rating <= 5:
        raise InvalidInput(field_name, "A rating is a whole number from 1 to 5.")
    return rating


def check_title(title: str) -> str:
    cleaned = " ".join(title.split())  # one line
    if len(cleaned) > TITLE_MAX:
        raise InvalidInput("title", f"A title is at most {TITLE_MAX} characters.")
    return cleaned


def check_body(body: str, field_name: str = "body", maximum: int = BODY_MAX) -> str:
    cleaned = body.strip()  # plain text: stored as sent, never interpreted as HTML
    if len(cleaned) > maximum:
        raise InvalidInput(field_name, f"At most {maximum} characters.")
    return cleaned


def check_photo_urls(urls: Iterable[str]) -> list[str]:
    cleaned = list(dict.fromkeys(url.strip() for url in urls))
    if len(cleaned) > MAX_PHOTOS:
        raise InvalidInput("photoUrls", f"At most {MAX_PHOTOS} photos.")
    for url in cleaned:
        host = url[len("https://") :].split("/", 1)[0]
        if (
            not url.startswith("https://")
            or not host
            or len(url) > PHOTO_URL_MAX
            or any(c.isspace() for c in url)
        ):
            raise InvalidInput(
                "photoUrls", f"Photos are https URLs of at most {PHOTO_URL_MAX} characters."
            )
    return cleaned
