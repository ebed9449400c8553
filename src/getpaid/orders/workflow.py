"""State and transition ids of ``getpaid_order_workflow``, documented once here.

The workflow itself is defined in
``profiles/default/workflows/getpaid_order_workflow/definition.xml``.

States::

    created         placed by the customer, not paid yet
    paid            a verified payment covers the total
    payment_failed  the provider reported a failed or denied payment; payable again
    canceled        canceled by the customer (while unpaid) or the shop
    timeout         left unpaid past the shop's timeout; a late payment still counts
    delivered       the shop delivered the goods or service
    completed       fulfilment finished
    expired         a time-limited purchase reached its end time
    refunded        the payment was returned to the customer (or reversed)

``refunded`` is not in the seed's list: real shops refund, and PayPal reports
refunds and reversals; without the state a refunded order would look paid.
"""

CREATED = "created"
PAID = "paid"
PAYMENT_FAILED = "payment_failed"
CANCELED = "canceled"
TIMEOUT = "timeout"
DELIVERED = "delivered"
COMPLETED = "completed"
EXPIRED = "expired"
REFUNDED = "refunded"

STATES = (
    CREATED,
    PAID,
    PAYMENT_FAILED,
    CANCELED,
    TIMEOUT,
    DELIVERED,
    COMPLETED,
    EXPIRED,
    REFUNDED,
)

# Unpaid: the order waits for its money, and can still time out (the
# states with a time_out exit; tests/workflow checks the two agree). The
# customer is invited to pay, and lines, quantities and prices may change.
UNPAID_STATES = frozenset({CREATED, PAYMENT_FAILED})
# A payment arriving now pays the order (late ones too, after a timeout).
PAYABLE_STATES = frozenset({CREATED, PAYMENT_FAILED, TIMEOUT})
# Final: nothing more is expected of the order. The customer's personal data
# is kept for the shop's retention period after it got here (api/erasure.py).
FINAL_STATES = frozenset({COMPLETED, CANCELED, TIMEOUT, EXPIRED, REFUNDED})

# Transition ids. Who may fire each is the guard in definition.xml.
PAY = "pay"  # payment system, or shop manager for offline payments
FAIL_PAYMENT = "fail_payment"  # payment system
TIME_OUT = "time_out"  # system (sweeper)
EXPIRE = "expire"  # system (sweeper)
REFUND = "refund"  # payment system or shop manager
CANCEL = "cancel"  # customer while unpaid, shop manager
DELIVER = "deliver"  # shop manager
COMPLETE = "complete"  # shop manager

# What shop staff do once an order is paid, one by one or in bulk.
FULFILMENT = (DELIVER, COMPLETE)

# Who caused a change, as kept in the order's history.
SOURCE_CUSTOMER = "customer"
SOURCE_MANAGER = "manager"
SOURCE_PROVIDER = "payment provider"
SOURCE_SYSTEM = "system"
SOURCES = (SOURCE_CUSTOMER, SOURCE_MANAGER, SOURCE_PROVIDER, SOURCE_SYSTEM)

WORKFLOW_ID = "getpaid_order_workflow"
