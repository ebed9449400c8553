"""Stripe Checkout as a payment provider: cards, SEPA, Przelewy24, BLIK,
Bancontact… behind Stripe's hosted page, with the official ``stripe``
library.

``amounts`` writes our Decimals as Stripe's integers, ``settings`` holds the
keys (from outside the database), ``client`` calls Stripe and answers plain
dicts, ``session`` builds the Checkout Session, ``flow`` starts, settles
and reconciles it, ``recording`` records what Stripe says (the one path),
``webhooks`` handles verified events, ``refunds`` refunds through Stripe.
"""
