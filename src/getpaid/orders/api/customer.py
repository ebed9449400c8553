"""Who is buying: the customer data an order is placed with."""

from dataclasses import dataclass
from dataclasses import fields
from getpaid.orders.exceptions import InvalidCustomer
from getpaid.orders.vocabularies.iso import countries

import re


# Deliberately loose: one @, something on each side, a dot in the domain.
# The confirmation e-mail is the real check.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    region: str = ""

    def check(self, label: str) -> None:
        missing = [
            name
            for name in ("street", "postal_code", "city", "country")
            if not getattr(self, name).strip()
        ]
        if missing:
            raise InvalidCustomer(f"The {label} address lacks: {', '.join(missing)}.")
        if self.country not in countries():
            raise InvalidCustomer(f"{self.country!r} is not a country code.")


@dataclass(frozen=True)
class Customer:
    first_name: str
    last_name: str
    email: str
    billing: Address
    phone: str = ""
    shipping: Address | None = None

    def check(self) -> None:
        """Raise InvalidCustomer unless the data is enough to place an order."""
        if not self.first_name.strip() or not self.last_name.strip():
            raise InvalidCustomer("First name and surname are both required.")
        if not EMAIL.match(self.email):
            raise InvalidCustomer(f"{self.email!r} is not an e-mail address.")
        self.billing.check("billing")
        if self.shipping is not None:
            self.shipping.check("shipping")

    def order_fields(self) -> dict:
        """The customer as the Order schema's field values."""
        values = {
            "first_name": self.first_name.strip(),
            "last_name": self.last_name.strip(),
            "email": self.email.strip(),
            "phone": self.phone.strip(),
        }
        for prefix, address in (("billing", self.billing), ("shipping", self.shipping)):
            for field in fields(Address):
                value = getattr(address, field.name) if address else None
                values[f"{prefix}_{field.name}"] = value.strip() if value else None
        return values
