"""Payment providers: the interface checkout charges through, and the built-in test provider.

A provider authorizes an amount against a one-time payment token from the client, captures
an authorization, and refunds a capture. Calls are network I/O: callers make them outside
database transactions. Declines are results (`Charge.approved` false, with a `decline_code`);
a provider that cannot be reached raises `PaymentUnavailable`.

The built-in `TestPaymentProvider` never leaves the process; the payment token decides:

| token | outcome |
|---|---|
| `tok_ok` (or any other `tok_ok…`) | authorized and captured |
| `tok_declined` | declined, `card_declined` |
| `tok_insufficient_funds` | declined, `insufficient_funds` |
| `tok_capture_fails` | authorized, then the capture is declined (`capture_failed`) |
| `tok_unavailable` | raises `PaymentUnavailable` (the provider is down) |
| anything else | declined, `invalid_token` |
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

DEFAULT_PROVIDER = "test"


class PaymentUnavailable(Exception):
    """The provider could not be reached or failed; nothing was charged."""


@dataclass(frozen=True, slots=True)
class Charge:
    """The result of an authorization or a capture."""

    approved: bool
    reference: str = ""
    decline_code: str = ""


@dataclass(frozen=True, slots=True)
class Refund:
    reference: str


class PaymentProvider(Protocol):
    name: str

    async def authorize(
        self, *, amount: int, currency: str, token: str, idempotency_key: str
    ) -> Charge: ...

    async def capture(self, *, reference: str, amount: int) -> Charge: ...

    async def refund(self, *, reference: str, amount: int) -> Refund: ...


class TestPaymentProvider:
    """Deterministic provider for development and tests, driven by the payment token."""

    __test__ = False  # not a pytest test class
    name = "test"

    async def authorize(
        self, *, amount: int, currency: str, token: str, idempotency_key: str
    ) -> Charge:
        if token == "tok_unavailable":
            raise PaymentUnavailable("The test provider is unavailable (tok_unavailable).")
        if token.startswith("tok_ok") or token == "tok_capture_fails":
            prefix = "test_auth_cf_" if token == "tok_capture_fails" else "test_auth_"
            return Charge(approved=True, reference=prefix + secrets.token_hex(8))
        codes = {"tok_declined": "card_declined", "tok_insufficient_funds": "insufficient_funds"}
        return Charge(approved=False, decline_code=codes.get(token, "invalid_token"))

    async def capture(self, *, reference: str, amount: int) -> Charge:
        if reference.startswith("test_auth_cf_"):
            return Charge(approved=False, decline_code="capture_failed")
        if not reference.startswith("test_auth_"):
            return Charge(approved=False, decline_code="unknown_authorization")
        return Charge(approved=True, reference="test_ch_" + reference[len("test_auth_") :])

    async def refund(self, *, reference: str, amount: int) -> Refund:
        if not reference.startswith("test_ch_"):
            raise PaymentUnavailable(f"Unknown charge {reference!r}.")
        return Refund(reference="test_re_" + reference[len("test_ch_") :])


_PROVIDERS: dict[str, PaymentProvider] = {TestPaymentProvider.name: TestPaymentProvider()}


def register_provider(provider: PaymentProvider) -> None:
    """Make a provider available by its name (a real gateway adapter plugs in here)."""
    _PROVIDERS[provider.name] = provider


def get_provider(name: str = DEFAULT_PROVIDER) -> PaymentProvider:
    return _PROVIDERS[name]
