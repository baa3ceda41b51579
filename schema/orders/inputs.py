"""Order inputs: the shipping address given at checkout."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Where to ship an order.")
class ShippingAddressInput:
    name: str = strawberry.field(description="Recipient.")
    line1: str = strawberry.field(description="Street and number.")
    city: str = strawberry.field(description="City or town.")
    postal_code: str = strawberry.field(description="Postal or ZIP code, as the country writes it.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. `DE`.")
    line2: str | None = strawberry.field(default=None, description="Flat, floor, etc.")
    region: str | None = strawberry.field(default=None, description="State or province.")
    phone: str | None = strawberry.field(default=None, description="For the carrier.")

    def as_dict(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "line1": self.line1,
            "line2": self.line2,
            "city": self.city,
            "region": self.region,
            "postal_code": self.postal_code,
            "country": self.country,
            "phone": self.phone,
        }
