"""Who is buying: the customer data an order is placed with."""

from dataclasses import dataclass
from dataclasses import fields
from getpaid.orders import _
from getpaid.orders.content.order import IOrder
from getpaid.orders.exceptions import InvalidCustomer
from getpaid.orders.vocabularies.iso import countries
from zope.schema import ValidationError

import re
import unicodedata


# Deliberately loose: one @, something on each side, a dot in the domain.
# The confirmation e-mail is the real check.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Control characters, and Unicode's line and paragraph separators, which a
# mail header refuses like a line break: a NUL or a U+2028 in a name would
# reach pages, mails and the CSV.
UNPRINTABLE = {"Cc", "Zl", "Zp"}


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
            raise InvalidCustomer(
                _(
                    "The ${kind} address lacks: ${missing}.",
                    mapping={"kind": label, "missing": ", ".join(missing)},
                ),
                field=f"{label}_{missing[0]}",
            )
        if self.country not in countries(language="en"):  # codes: any language
            raise InvalidCustomer(
                _(
                    "${country} is not a country code.",
                    mapping={"country": repr(self.country)},
                ),
                field=f"{label}_country",
            )


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
        for name in ("first_name", "last_name"):
            if not getattr(self, name).strip():
                raise InvalidCustomer(
                    _("First name and surname are both required."), field=name
                )
        if not EMAIL.match(self.email.strip()):
            raise InvalidCustomer(
                _(
                    "${email} is not an e-mail address.",
                    mapping={"email": repr(self.email)},
                ),
                field="email",
            )
        self.billing.check("billing")
        if self.shipping is not None:
            self.shipping.check("shipping")
        self.check_fields()

    def check_fields(self) -> None:
        """Each value against the Order schema: lengths, no line breaks; and
        no control characters or line separators (UNPRINTABLE)."""
        for name, value in self.order_fields().items():
            if value is None:
                continue
            if any(unicodedata.category(char) in UNPRINTABLE for char in value):
                raise InvalidCustomer(
                    _(
                        "${field} contains a character that can't be printed.",
                        mapping={"field": IOrder[name].title},
                    ),
                    field=name,
                )
            try:
                IOrder[name].validate(value)
            except ValidationError as error:
                title = IOrder[name].title
                raise InvalidCustomer(f"{title}: {error.doc()}", field=name) from None

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
