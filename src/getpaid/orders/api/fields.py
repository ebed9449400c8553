"""What an order's field may hold, whichever way a value comes in.

Placing an order (checkout form, REST ``@checkout``) and changing one (the
editor, staff PATCH, fulfilment messages) check each value here: the Order
schema's limits (type, length, the country list), the e-mail's shape, and
the characters typed text may hold (api/characters.py).
"""

from getpaid.orders import _
from getpaid.orders.api.characters import refused_character
from getpaid.orders.content.order import IOrder
from getpaid.orders.exceptions import InvalidValue
from zope.schema import ASCIILine
from zope.schema import getFields
from zope.schema import Text
from zope.schema import TextLine
from zope.schema import ValidationError

import re


# Deliberately loose: one @, something on each side, a dot in the domain.
# The confirmation e-mail is the real check.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIELDS = getFields(IOrder)


def _multiline(field) -> bool:
    return isinstance(field, Text) and not isinstance(field, TextLine | ASCIILine)


def check_field(name: str, value, order=None) -> None:
    """Raise InvalidValue unless ``value`` may be the Order's field ``name``.

    ``order``, when there is one, is what the schema's vocabularies are
    bound to (placing an order has none yet).
    """
    field = FIELDS[name]
    if isinstance(value, str):
        if refused_character(value, multiline=_multiline(field)) is not None:
            raise InvalidValue(
                _(
                    "${field} contains a character that can't be printed.",
                    mapping={"field": field.title},
                )
            )
        if name == "email" and not EMAIL.match(value):
            raise InvalidValue(
                _(
                    "${email} is not an e-mail address.",
                    mapping={"email": repr(value)},
                )
            )
    try:
        (field if order is None else field.bind(order)).validate(value)
    except ValidationError as error:
        raise InvalidValue(
            _(
                "${field}: ${problem}",
                mapping={"field": field.title, "problem": error.doc()},
            )
        ) from None
