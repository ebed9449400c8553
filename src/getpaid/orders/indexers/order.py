"""Catalog values of orders: back-office search, filter and sort are plain queries.

Index only what a search needs: each index is written on every checkout
(docs/storage.rst). Text search is a KeywordIndex of lower-cased tokens, not a
ZCTextIndex: order numbers and e-mail addresses are new words each time,
and a new word in a ZCTextIndex lexicon is a write every checkout collides on.
"""

from getpaid.orders.api.attempts import open_providers
from getpaid.orders.api.erasure import final_since
from getpaid.orders.content.order import IOrder
from getpaid.orders.text import fold
from plone.indexer import indexer

import re


def _tokens(*texts: str) -> set[str]:
    """Each text whole and word by word, the parts of hyphenated words
    (Smith-Jones: smith, jones), and all of it without accents (fold)."""
    tokens = set()
    for text in texts:
        text = (text or "").strip().lower()
        if text:
            tokens.add(text)
            for word in re.split(r"[\s,;]+", text):
                tokens.add(word)
                tokens.update(re.split(r"[-'’]+", word))
    tokens.discard("")
    return tokens | {fold(token) for token in tokens}


@indexer(IOrder)
def order_number(order):
    return order.number


@indexer(IOrder)
def customer_email(order):
    return (order.email or "").strip().lower()


@indexer(IOrder)
def buyer_id(order):
    return order.buyer_id or ""


@indexer(IOrder)
def product_uids(order):
    return tuple(line.product_uid for line in order.lines)


@indexer(IOrder)
def product_titles(order):
    return tuple(line.snapshot.display_name for line in order.lines)


@indexer(IOrder)
def payment_txn_ids(order):
    return tuple({payment.txn_id for payment in order.payments()} - {""})


@indexer(IOrder)
def open_payments(order):
    """The providers the order has unsettled payment attempts with; orders
    without any aren't indexed."""
    providers = open_providers(order)
    if not providers:
        raise AttributeError("open_payments")
    return tuple(providers)


@indexer(IOrder)
def reminder_count(order):
    """How many payment reminders the customer got: a column for the
    listing ("reminded twice"), never an index."""
    return len(order.reminders)


# Characters of the customer's comment the listing shows.
EXCERPT = 100


@indexer(IOrder)
def comment_excerpt(order):
    """The start of the customer's comment, on one line: a column for the
    listing, never an index (the buyer may read it: it is theirs)."""
    text = " ".join((order.comment or "").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


@indexer(IOrder)
def order_total(order):
    return order.total


@indexer(IOrder)
def order_currency(order):
    return order.currency


@indexer(IOrder)
def customer_sortable(order):
    """Surname first, for sorting the listing by customer."""
    return f"{order.last_name} {order.first_name}".strip().lower()


@indexer(IOrder)
def order_search(order):
    """Tokens of everything the back office searches orders by."""
    lines = order.lines
    # The number only whole: each of its parts would be one more new word in
    # the index at every checkout, which concurrent checkouts collide on.
    number = order.number.lower()
    return tuple(
        sorted(
            {number}
            | _tokens(
                order.first_name,
                order.last_name,
                order.email,
                order.buyer_id,
                *(line.snapshot.display_name for line in lines),
                *(line.snapshot.sku for line in lines),
                *(payment.txn_id for payment in order.payments()),
            )
        )
    )


@indexer(IOrder)
def SearchableText(order):
    # Orders are not site content: the site search never needs their words.
    return ""


@indexer(IOrder)
def Title(order):
    # The title is the order number, a new word in the Title index's lexicon
    # on every checkout: two concurrent checkouts would get the same new word
    # id and conflict. Listings show the id (the number) for an empty title;
    # back-office listings use the order_number column.
    return ""


@indexer(IOrder)
def secret_link_digests(order):
    """Digests of the active secret links: an index only, never metadata."""
    return tuple(link.digest for link in order.secret_links if link.active)


@indexer(IOrder)
def order_end(order):
    """When a time-limited purchase ends; orders without an end aren't indexed.

    Our own DateIndex: Plone's ``end`` index (for events) also answers a
    range query with orders that have no end at all.
    """
    if order.end is None:
        raise AttributeError("order_end")
    return order.end


@indexer(IOrder)
def needs_attention(order):
    """True while a person must look at the order (a payment problem).

    Other orders aren't indexed, so a checkout never writes to this index.
    """
    if not order.attention:
        raise AttributeError("needs_attention")
    return True


@indexer(IOrder)
def order_final(order):
    """When the order became final, while it keeps its customer's data: the
    sweeper anonymises by it (api/erasure.py). Other orders aren't indexed,
    so a checkout never writes to this index."""
    when = None if order.anonymised is not None else final_since(order)
    if when is None:
        raise AttributeError("order_final")
    return when
