"""Payment providers: the interface the shop talks to (``interfaces``),
which are enabled (``registry``), and the providers: PayPal Checkout
(``paypal_checkout``) and the legacy Payments Standard (``paypal_standard``).
"""
