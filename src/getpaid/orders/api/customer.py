"""Who is buying: the customer data an order is placed with."""

from dataclasses import dataclass
from dataclasses import fields
from getpaid.orders import _
from getpaid.orders.api.fields import check_field
from getpaid.orders.exceptions import InvalidCustomer
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.vocabularies.iso import countries


def check_customer_field(name: str, value) -> None:
    """check_field for what the customer typed: InvalidCustomer naming it."""
    try:
        check_field(name, value)
    except InvalidValue as error:
        raise InvalidCustomer(error.args[0], field=name) from None


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
        check_customer_field("email", self.email.strip())
        self.billing.check("billing")
        if self.shipping is not None:
            self.shipping.check("shipping")
        self.check_fields()

    def check_fields(self) -> None:
        """Each value as the Order's field (api/fields.py): the schema's
        limits, the e-mail's shape, the characters typed text may hold."""
        for name, value in self.order_fields().items():
            if value is not None:
                check_customer_field(name, value)

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
