"""Input checks for posts: titles, Markdown bodies rendered to sanitised HTML, topic names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import nh3
from markdown_it import MarkdownIt

from resolvers.errors import InvalidInput

TITLE_MAX, BODY_MAX, MAX_TOPICS, TOPIC_MAX = 150, 50_000, 10, 50
# A topic is letters and digits of any script (hashtags are written in many) and underscores.
TOPIC_PATTERN = re.compile(r"^[^\W]+$")

# CommonMark plus tables and strikethrough. Raw HTML in the Markdown is shown as text, never
# passed through ("html": False); nh3 then cleans what markdown-it made, so a bug in either
# alone cannot let a script or an event handler through.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "s",
    "del",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "code",
    "pre",
    "hr",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    "code": {"class"},
}


def render_markdown(body: str) -> str:
    """The body as sanitised HTML: formatting, http(s)/mailto links and images, nothing active."""
    return clean_html(_MARKDOWN.render(body))


def clean_html(html: str) -> str:
    """What may stay of rendered HTML: the tags and attributes above, no scripts or handlers."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow ugc",
        filter_style_properties={"text-align"},
    )


def check_title(title: str) -> str:
    cleaned = " ".join(title.split())  # one line
    if not 1 <= len(cleaned) <= TITLE_MAX:
        raise InvalidInput("title", f"A title is 1-{TITLE_MAX} characters.")
    return cleaned


def check_body(body: str) -> str:
    cleaned = body.strip()
    if len(cleaned) > BODY_MAX:
        raise InvalidInput("body", f"A body is at most {BODY_MAX:,} characters of Markdown.")
    return cleaned


def normalise_topic(name: str) -> tuple[str, str]:
    """(slug, name) of a topic as written: NFKC, one leading '#' dropped; the slug lowercased."""
    written = unicodedata.normalize("NFKC", name).strip().removeprefix("#")
    slug = written.casefold()
    slug = unicodedata.normalize("NFKC", slug)  # casefolding can undo NFKC (e.g. 'ß' -> 'ss')
    if not 1 <= len(slug) <= TOPIC_MAX or not TOPIC_PATTERN.match(slug):
        raise InvalidInput(
            "topics",
            f"A topic is 1-{TOPIC_MAX} letters, digits or underscores (an optional leading "
            f"'#'); got {name[:60]!r}.",
        )
    return slug, written


def check_topics(names: Iterable[str]) -> list[tuple[str, str]]:
    """Distinct topics in the order given (the first spelling of each wins), at most 10."""
    found: dict[str, str] = {}
    for name in names:
        slug, written = normalise_topic(name)
        found.setdefault(slug, written)
    if len(found) > MAX_TOPICS:
        raise InvalidInput("topics", f"A post has at most {MAX_TOPICS} topics.")
    return list(found.items())
