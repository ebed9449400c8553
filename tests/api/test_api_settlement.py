"""What recorded payments and refunds do to their order, whoever sent them."""

from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api import attention
from getpaid.orders.api import settlement
from getpaid.orders.mail import alerts as mail
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import SOURCE_PROVIDER
from plone import api

import itertools
import pytest


TXN = itertools.count(1)


@pytest.fixture
def order(make_product, customer):
    """An unpaid order of 12.50 EUR."""
    return shop.place_order([(make_product("mug", "12.50"), 1)], customer)


@pytest.fixture
def alerts(monkeypatch):
    """What the shop was alerted about."""
    sent = []
    monkeypatch.setattr(mail, "alert_shop", lambda o, reason: sent.append(reason))
    return sent


def record(order, kind, amount, currency="EUR", status=None):
    txn = f"T{next(TXN)}"
    return shop.record_payment(
        order,
        provider="paypal",
        txn_id=txn,
        status=status or {"payment": "Completed", "refund": "Refunded"}[kind],
        amount=amount,
        currency=currency,
        kind=kind,
    )


def pay(order, amount="12.50", **kw) -> str:
    payment = record(order, "payment", amount)
    return shop.apply_payment(
        order, payment, source=SOURCE_PROVIDER, label=f"Test {payment.txn_id}", **kw
    )


def refund(order, amount) -> str:
    refund = record(order, "refund", amount)
    return shop.apply_refund(
        order, refund, source=SOURCE_PROVIDER, label=f"Test {refund.txn_id}"
    )


def state(order) -> str:
    return api.content.get_state(order)


def test_balance_sums_payments_and_refunds_in_the_orders_currency(order):
    record(order, "payment", "12.50")
    record(order, "payment", "12.50")
    record(order, "refund", "-5.00")
    record(order, "payment", "99.00", currency="USD")  # another currency
    record(order, "refund", "-1.005")  # no amount of EUR
    record(order, "", "12.50", status="Pending")  # moves no money
    assert shop.balance(order) == settlement.Balance(
        paid=Decimal("25.00"), refunded=Decimal("5.00")
    )
    assert shop.balance(order).remaining == Decimal("20.00")


def test_refunds_beyond_what_was_paid_are_flagged(order, alerts):
    assert pay(order) == "paid"
    assert refund(order, "-5.00") == "refund recorded"
    assert refund(order, "-5.00") == "refund recorded"
    assert refund(order, "-5.00") == "flagged"
    assert state(order) == "paid"  # a person decides
    assert len(order.payments()) == 4  # every refund is kept
    assert "refunds of 15.00 EUR exceed the 12.50 paid" in order.attention
    assert alerts == [order.attention]
    entry = order.history[-1]
    assert (entry.action, entry.new) == ("payment problem", "Refunded")


def test_partial_refunds_reaching_the_total_refund_the_order(order, alerts):
    pay(order)
    assert refund(order, "-5.00") == "refund recorded"
    entry = order.history[-1]
    assert (entry.action, entry.new) == ("partial refund", "5.00")
    assert "5.00 of 12.50 EUR refunded" in entry.comment
    assert refund(order, "-7.50") == "refunded"
    assert state(order) == "refunded"
    assert (order.attention, alerts) == ("", [])


def test_a_whole_refund_of_a_delivered_order_refunds_it(order):
    pay(order)
    shop.deliver(order)
    assert refund(order, "-12.50") == "refunded"
    assert state(order) == "refunded"


def test_a_whole_refund_where_the_workflow_has_no_refund_is_recorded(order):
    shop.cancel_order(order, source=SOURCE_MANAGER)
    pay(order)  # flagged: paid after it was canceled
    assert refund(order, "-12.50") == "refund recorded"
    assert state(order) == "canceled"
    assert order.history[-1].action == "refund"


def test_a_refund_of_an_order_never_paid_is_flagged(order, alerts):
    assert refund(order, "-12.50") == "flagged"
    assert state(order) == "created"
    assert "-12.50" not in order.attention
    assert "refund of 12.50 EUR, but nothing was paid" in order.attention
    assert len(alerts) == 1


@pytest.mark.parametrize(
    "amount, why",
    [
        ("-1.005", "more decimals than EUR allows"),
        ("-1E-30", "more decimals than EUR allows"),
        ("-1E+999999999", "too large"),
        ("5.00", "a refund is a negative amount"),
        ("0", "a refund is a negative amount"),
    ],
)
def test_a_refund_that_is_no_amount_of_the_currency_is_kept_and_flagged(
    order, alerts, amount, why
):
    pay(order)
    assert refund(order, amount) == "flagged"
    refunded = order.payments()[-1]
    assert refunded.amount == Decimal(amount)  # exactly as sent
    assert str(refunded.amount) == str(Decimal(amount))
    assert why in order.attention
    assert state(order) == "paid"
    assert len(alerts) == 1


def test_a_refund_in_another_currency_is_flagged(order, alerts):
    pay(order)
    refunded = record(order, "refund", "-12.50", currency="USD")
    action = shop.apply_refund(order, refunded, source=SOURCE_PROVIDER, label="T")
    assert action == "flagged"
    assert "refund in USD, not EUR" in order.attention


def test_refunds_count_against_what_was_paid_not_the_total(order, alerts):
    pay(order)
    pay(order)  # paid twice
    assert refund(order, "-12.50") == "refund recorded"  # one paid back
    assert state(order) == "paid"
    assert refund(order, "-12.50") == "refunded"


def test_a_second_payment_on_a_paid_order_is_flagged(order, alerts):
    assert pay(order) == "paid"
    assert pay(order) == "flagged"
    assert state(order) == "paid"
    assert len(order.payments()) == 2
    assert order.attention.endswith("paid twice: refund one")
    assert alerts == [order.attention]
    (flag,) = attention.flags_of(order)
    assert (flag.kind, flag.ref) == (attention.PAID_TWICE, order.payments()[-1].txn_id)


def test_a_payment_after_a_refund_is_flagged(order, alerts):
    pay(order)
    refund(order, "-12.50")
    assert pay(order) == "flagged"
    assert state(order) == "refunded"
    assert "paid after it was refunded: refund it" in order.attention


def test_a_payment_on_a_canceled_order(order, alerts):
    shop.cancel_order(order, source=SOURCE_MANAGER)
    assert pay(order) == "flagged"
    assert "paid after it was canceled: refund it" in order.attention
    assert pay(order, accept_when_canceled=True) == "paid"
    assert alerts[-1].endswith("a canceled order was paid, and accepted.")


def test_records_from_before_kinds_count_as_payments_and_refunds(order):
    paid = record(order, "payment", "12.50")
    refunded = record(order, "refund", "-2.50")
    del paid.kind, refunded.kind  # as records written before kinds were
    assert shop.balance(order) == settlement.Balance(
        paid=Decimal("12.50"), refunded=Decimal("2.50")
    )


@pytest.mark.parametrize("currency, zero", [("EUR", "0.00"), ("JPY", "0")])
def test_a_balance_is_in_the_currencys_minor_unit(
    make_product, customer, currency, zero
):
    from getpaid.orders.api.settlement import balance

    product = make_product(f"p-{currency.lower()}", "100", currency)
    order = shop.checkout([(product, 1)], customer).order
    money = balance(order)
    assert (str(money.paid), str(money.refunded), str(money.remaining)) == (
        zero,
        zero,
        zero,
    )
