"""Payment providers: the interface checkout charges through, and the built-in test provider.

A provider authorizes an amount against a one-time payment token from the client, captures
an authorization, and refunds a capture. Every call carries an idempotency key: a retried
refund with the same key must not pay out twice, and an authorization and capture retried with
the same key must return the same charge, never take the money a second time. One key names
one payment attempt (its authorization and its capture); `find_charge(key)` asks the provider
what became of it, for an attempt whose answer was lost (the request or the database died).
Calls are network I/O: callers make them outside database transactions. Declines are results
(`Charge.approved` false, with a `decline_code`); a provider that cannot be reached raises
`PaymentUnavailable`, and then nothing was charged.

The built-in `TestPaymentProvider` never leaves the process; the payment token decides:

| token | outcome |
|---|---|
| `tok_ok` (or any other `tok_ok…`) | authorized and captured |
| `tok_declined` | declined, `card_declined` |
| `tok_insufficient_funds` | declined, `insufficient_funds` |
| `tok_capture_fails` | authorized, then the capture is declined (`capture_failed`) |
| `tok_unavailable` | raises `PaymentUnavailable` (the provider is down) |
| `tok_ok_refund_fails_once` | captured; its first refund attempt raises `PaymentUnavailable` |
| `tok_ok_refund_fails` | captured; every refund attempt raises `PaymentUnavailable` |
| anything else | declined, `invalid_token` |

It remembers payments and refunds by idempotency key the way a gateway does server-side, but
in this process's memory only: a separate worker process (`python main.py worker`) has a memory
of its own and cannot find the API's charges. Run the worker in-process (the development
default, RUN_WORKER_IN_PROCESS) when payments go through the test provider.
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

    async def capture(self, *, reference: str, amount: int, idempotency_key: str) -> Charge: ...

    async def refund(self, *, reference: str, amount: int, idempotency_key: str) -> Refund: ...

    async def find_charge(self, idempotency_key: str) -> Charge | None:
        """What became of the payment attempt with this key: its capture (approved, with the
        charge reference), its decline, or None when nothing was taken under it (the key never
        arrived, or only an authorization did, which lapses uncaptured)."""
        ...


class TestPaymentProvider:
    """Deterministic provider for development and tests, driven by the payment token."""

    __test__ = False  # not a pytest test class
    name = "test"

    def __init__(self) -> None:
        # Like a real gateway, payments and refunds are remembered by idempotency key (in this
        # process only: see the module docstring).
        self._authorizations: dict[str, tuple[int, Charge]] = {}  # key -> (amount, answer)
        self._captures: dict[str, tuple[str, Charge]] = {}  # key -> (authorization, answer)
        self._refunds: dict[str, tuple[str, Refund]] = {}  # key -> (charge reference, refund)
        self._failed_once: set[str] = set()

    async def authorize(
        self, *, amount: int, currency: str, token: str, idempotency_key: str
    ) -> Charge:
        if idempotency_key in self._authorizations:
            earlier_amount, earlier = self._authorizations[idempotency_key]
            if earlier_amount != amount:  # as gateways do: a key names one request, never another
                raise PaymentUnavailable(f"Idempotency key {idempotency_key!r} was used already.")
            return earlier
        if token == "tok_unavailable":
            raise PaymentUnavailable("The test provider is unavailable (tok_unavailable).")
        if token.startswith("tok_ok") or token == "tok_capture_fails":
            prefix = _AUTH_PREFIXES.get(token, "test_auth_")
            answer = Charge(approved=True, reference=prefix + secrets.token_hex(8))
        else:
            code = _DECLINE_CODES.get(token, "invalid_token")
            answer = Charge(approved=False, decline_code=code)
        self._authorizations[idempotency_key] = (amount, answer)
        return answer

    async def capture(self, *, reference: str, amount: int, idempotency_key: str) -> Charge:
        if idempotency_key in self._captures:
            authorization, earlier = self._captures[idempotency_key]
            if authorization != reference:
                raise PaymentUnavailable(f"Idempotency key {idempotency_key!r} was used already.")
            return earlier
        if reference.startswith("test_auth_cf_"):
            answer = Charge(approved=False, decline_code="capture_failed")
        elif not reference.startswith("test_auth_"):
            answer = Charge(approved=False, decline_code="unknown_authorization")
        else:
            answer = Charge(approved=True, reference="test_ch_" + reference[len("test_auth_") :])
        self._captures[idempotency_key] = (reference, answer)
        return answer

    async def find_charge(self, idempotency_key: str) -> Charge | None:
        if idempotency_key in self._captures:
            return self._captures[idempotency_key][1]
        authorized = self._authorizations.get(idempotency_key)
        if authorized is not None and not authorized[1].approved:
            return authorized[1]
        return None

    def captured_charges(self) -> list[str]:
        """The charges this provider has captured, in order, each once (for tests)."""
        return [answer.reference for _, answer in self._captures.values() if answer.approved]

    def refunded_charges(self) -> list[str]:
        """The charges this provider has refunded, in order (for tests and the demo)."""
        return [charge for charge, _ in self._refunds.values()]

    async def refund(self, *, reference: str, amount: int, idempotency_key: str) -> Refund:
        if idempotency_key in self._refunds:
            charge, earlier = self._refunds[idempotency_key]
            if charge != reference:  # as gateways do: a key names one request, never another
                raise PaymentUnavailable(f"Idempotency key {idempotency_key!r} was used already.")
            return earlier
        if not reference.startswith("test_ch_"):
            raise PaymentUnavailable(f"Unknown charge {reference!r}.")
        if reference.startswith("test_ch_rfx_") or (
            reference.startswith("test_ch_rf1_") and idempotency_key not in self._failed_once
        ):
            self._failed_once.add(idempotency_key)
            raise PaymentUnavailable(f"The test provider refuses to refund {reference!r} now.")
        refund = Refund(reference="test_re_" + reference[len("test_ch_") :])
        self._refunds[idempotency_key] = (reference, refund)
        return refund


_DECLINE_CODES = {"tok_declined": "card_declined", "tok_insufficient_funds": "insufficient_funds"}
_AUTH_PREFIXES = {  # the authorization reference carries the token's later behaviour
    "tok_capture_fails": "test_auth_cf_",
    "tok_ok_refund_fails_once": "test_auth_rf1_",
    "tok_ok_refund_fails": "test_auth_rfx_",
}


_PROVIDERS: dict[str, PaymentProvider] = {TestPaymentProvider.name: TestPaymentProvider()}


def register_provider(provider: PaymentProvider) -> None:
    """Make a provider available by its name (a real gateway adapter plugs in here)."""
    _PROVIDERS[provider.name] = provider


def get_provider(name: str = DEFAULT_PROVIDER) -> PaymentProvider:
    return _PROVIDERS[name]
