"""PayPal Checkout (Orders v2) over PayPal's REST API, without JavaScript.

``client`` talks to PayPal (our own small client on ``requests``: see
docs/paypal-checkout.rst for why not PayPal's SDK), ``amounts`` writes
amounts as PayPal takes them, ``tokens`` keeps the OAuth2 token per process,
``errors`` says what went wrong. Nothing here knows about orders yet.
"""
