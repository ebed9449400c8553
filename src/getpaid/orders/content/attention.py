"""Why an order needs a person: one flag per reason, kept on the order."""

from dataclasses import dataclass


@dataclass(frozen=True)
class AttentionFlag:
    """One reason a person must look at the order.

    ``kind`` says what raised it (``getpaid.orders.api.attention``'s kinds)
    and ``ref`` the provider transaction it is about, so that the event
    which undoes it (a canceled chargeback) clears this flag and no other.
    """

    reason: str
    kind: str = ""
    ref: str = ""
