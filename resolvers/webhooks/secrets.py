"""Signing secrets: made, kept encrypted at rest, and used to sign deliveries.

A secret must be readable to sign with, so unlike tokens it cannot be stored as a hash. It is
encrypted with AES-GCM under a key derived from SECRET_KEY: a copy of the database alone (a
backup, a replica) does not reveal it. Changing SECRET_KEY therefore makes every stored secret
unreadable; rotate each subscription's secret (`rotateWebhookSecret`) after changing it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SECRET_PREFIX = "whsec_"
_VERSION = "v1:"
_NONCE_BYTES = 12
# Bound into every ciphertext: a value copied from another column cannot pass for a secret.
_AAD = b"agora webhook secret"


class SecretUnreadable(Exception):
    """The stored secret does not decrypt under this SECRET_KEY."""


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def secret_hint(secret: str) -> str:
    return secret[: len(SECRET_PREFIX) + 4]


def _key(secret_key: str) -> bytes:
    return hashlib.sha256(b"agora webhook secrets\x00" + secret_key.encode()).digest()


def encrypt_secret(secret: str, secret_key: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(secret_key)).encrypt(nonce, secret.encode(), _AAD)
    return _VERSION + base64.b64encode(nonce + sealed).decode()


def decrypt_secret(stored: str, secret_key: str) -> str:
    if not stored.startswith(_VERSION):
        raise SecretUnreadable("unknown secret format")
    raw = base64.b64decode(stored[len(_VERSION) :])
    try:
        plain = AESGCM(_key(secret_key)).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _AAD)
    except InvalidTag:
        raise SecretUnreadable("the secret does not decrypt under this SECRET_KEY") from None
    return plain.decode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Agora-Webhook-Signature` value: `v1=` and the hex HMAC-SHA256 of "<ts>.<body>"."""
    signed = str(timestamp).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
