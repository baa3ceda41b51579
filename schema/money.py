"""Money in the API: integer minor units plus an ISO-4217 currency, never floats."""

from __future__ import annotations

from typing import Self

import strawberry

# Currencies whose minor unit is not 1/100.
_MINOR_DIGITS = {"JPY": 0, "KRW": 0, "VND": 0, "BHD": 3, "KWD": 3}


@strawberry.type(description="An amount of money: `amount` in minor units (cents) and a currency.")
class Money:
    amount: int = strawberry.field(description="Minor units, e.g. 1999 for 19.99 USD.")
    currency: str = strawberry.field(description="ISO-4217 code, e.g. `USD`.")

    @classmethod
    def of(cls, amount: int, currency: str) -> Self:
        return cls(amount=amount, currency=currency)

    @strawberry.field(description="The amount as a decimal string, e.g. `19.99`.")
    def decimal(self) -> str:
        digits = _MINOR_DIGITS.get(self.currency, 2)
        if digits == 0:
            return str(self.amount)
        sign = "-" if self.amount < 0 else ""
        whole, minor = divmod(abs(self.amount), 10**digits)
        return f"{sign}{whole}.{minor:0{digits}d}"
