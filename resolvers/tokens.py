"""Bearer token format: `<kind>_<30 base62 random><6 base62 CRC32>`, in the style of GitHub's.

The checksum lets us reject malformed or mistyped tokens without a database query, and lets
secret scanners recognise ours. Only the SHA-256 of a token is stored: tokens carry ~178 bits
of randomness, so a slow hash would add latency to every request without adding safety.
"""

from __future__ import annotations

import hashlib
import secrets
import string
import zlib
from dataclasses import dataclass
from enum import StrEnum

ALPHABET = string.digits + string.ascii_letters
RANDOM_LENGTH = 30
CHECKSUM_LENGTH = 6


class TokenKind(StrEnum):
    SESSION = "ags"
    APP = "aga"
    CART = "agc"  # anonymous carts; never a bearer token


@dataclass(frozen=True, slots=True)
class ParsedToken:
    kind: TokenKind
    value: str

    @property
    def digest(self) -> str:
        return hash_token(self.value)


def new_token(kind: TokenKind) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{kind.value}_{body}{_checksum(f'{kind.value}_{body}')}"


def parse_token(value: str) -> ParsedToken | None:
    """The token if it is well-formed and its checksum matches, else None. No I/O."""
    prefix, sep, rest = value.partition("_")
    if not sep or len(rest) != RANDOM_LENGTH + CHECKSUM_LENGTH:
        return None
    try:
        kind = TokenKind(prefix)
    except ValueError:
        return None
    if any(char not in ALPHABET for char in rest):
        return None
    body, checksum = rest[:RANDOM_LENGTH], rest[RANDOM_LENGTH:]
    if not secrets.compare_digest(_checksum(f"{prefix}_{body}"), checksum):
        return None
    return ParsedToken(kind=kind, value=value)


def hash_token(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def token_hint(value: str) -> str:
    return value[:8]


def _checksum(text: str) -> str:
    number = zlib.crc32(text.encode())
    digits = []
    for _ in range(CHECKSUM_LENGTH):
        number, remainder = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[remainder])
    return "".join(reversed(digits))
