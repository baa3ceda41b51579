"""Input checks for communities: names, themes, descriptions and rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from resolvers.errors import InvalidInput

NAME_MAX, THEME_MAX, DESCRIPTION_MAX = 80, 40, 5_000
RULES_MAX, RULE_MAX = 20, 300


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= NAME_MAX:
        raise InvalidInput("name", f"A community name is 1-{NAME_MAX} characters.")
    return cleaned


def check_theme(theme: str) -> str:
    cleaned = " ".join(theme.split())
    if len(cleaned) > THEME_MAX:
        raise InvalidInput("theme", f"A theme is at most {THEME_MAX} characters.")
    return cleaned


def check_description(description: str) -> str:
    cleaned = description.strip()
    if len(cleaned) > DESCRIPTION_MAX:
        raise InvalidInput(
            "description", f"A description is at most {DESCRIPTION_MAX:,} characters."
        )
    return cleaned


def check_rules(rules: Sequence[str]) -> list[str]:
    cleaned = [" ".join(rule.split()) for rule in rules]
    if len(cleaned) > RULES_MAX:
        raise InvalidInput("rules", f"A community has at most {RULES_MAX} rules.")
    if any(not 1 <= len(rule) <= RULE_MAX for rule in cleaned):
        raise InvalidInput("rules", f"Each rule is 1-{RULE_MAX} characters of plain text.")
    return cleaned


def check_until(until: datetime | None, field: str = "until") -> datetime | None:
    """A future, time-zoned moment (or None: for good)."""
    if until is None:
        return None
    if until.tzinfo is None:
        raise InvalidInput(field, f"Give `{field}` with a time zone, e.g. ...Z.")
    if until <= datetime.now(UTC):
        raise InvalidInput(field, f"`{field}` must be in the future; omit it for no end.")
    return until
