"""@@paypal-ipn over real HTTP, against a verification server on loopback."""

from datetime import datetime
from datetime import UTC
from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.payments.paypal_standard import ipn
from getpaid.orders.workflow import SOURCE_MANAGER
from ipn_helpers import ipn_body
from ipn_helpers import state_of
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.dexterity.utils import createContent

import pytest
import requests
import time
import transaction


def payments(order) -> list:
    transaction.begin()
    return order.payments()


def test_completed_marks_paid(order, send_ipn, verifier, inbox):
    body = ipn_body("completed_utf8.txt", order)
    response = send_ipn(body)
    assert response.status_code == 200
    assert state_of(order) == "paid"
    (payment,) = payments(order)
    assert (payment.txn_id, payment.status, payment.amount) == (
        "61E67681CH3238416",
        "Completed",
        Decimal("50.00"),
    )
    assert payment.raw == body and payment.charset == "utf-8"
    assert verifier.asked == [b"cmd=_notify-validate&" + body]  # unaltered
    entry = order.history[-1]
    assert (entry.action, entry.source) == ("pay", "payment provider")


def test_windows_1252_is_read_in_its_charset(order, send_ipn):
    body = ipn_body("completed_windows1252.txt", order)
    assert b"Ren%E9e" in body
    assert send_ipn(body).status_code == 200
    assert state_of(order) == "paid"
    (payment,) = payments(order)
    assert payment.charset == "cp1252"
    note = ipn.parse(payment.raw)
    assert note.get("first_name") == "Renée"
    assert note.get("memo") == "Merci – à bientôt"


def test_forged_message_changes_nothing(order, send_ipn):
    response = send_ipn(ipn_body("completed_utf8.txt", order), genuine=False)
    assert response.status_code == 200  # INVALID: PayPal must not resend
    assert state_of(order) == "created"
    assert payments(order) == []


@pytest.mark.parametrize("mode", ["500", "redirect", "garbage", "slow"])
def test_unverifiable_message_is_retried_later(
    order, send_ipn, verifier, monkeypatch, mode
):
    verifier.mode = mode
    monkeypatch.setattr(ipn, "TIMEOUT_SECONDS", 0.5)
    response = send_ipn(ipn_body("completed_utf8.txt", order))
    assert response.status_code == 503
    assert state_of(order) == "created"
    assert payments(order) == []


def test_duplicate_changes_nothing(order, send_ipn, inbox):
    body = ipn_body("completed_utf8.txt", order)
    assert send_ipn(body).status_code == 200
    assert send_ipn(body).status_code == 200
    assert state_of(order) == "paid"
    assert len(payments(order)) == 1
    assert [e.action for e in order.history].count("pay") == 1


@pytest.mark.parametrize(
    "replace, why",
    [
        ({"mc_gross": "5.00"}, "amount 5.00"),
        ({"mc_currency": "USD"}, "currency 'USD'"),
        (
            {"receiver_email": "thief@example.org", "business": "thief@example.org"},
            "not us",
        ),
        ({"txn_type": "subscr_payment"}, "transaction type"),
    ],
    ids=["amount", "currency", "receiver", "txn_type"],
)
def test_tampered_message_never_marks_paid(order, send_ipn, inbox, replace, why):
    assert send_ipn(ipn_body("completed_utf8.txt", order, **replace)).status_code == 200
    assert state_of(order) == "created"
    (payment,) = payments(order)  # kept as evidence
    assert why in order.attention
    assert order.history[-1].action == "payment problem"
    alerts = [
        m
        for _, r, m in inbox.wait_for(3)
        if r == ["orders@example.org"] and "needs attention" in m["Subject"]
    ]
    assert len(alerts) == 1


def test_receiver_compared_case_insensitively(order, send_ipn):
    body = ipn_body("completed_utf8.txt", order, receiver_email="SHOP@example.ORG")
    send_ipn(body)
    assert state_of(order) == "paid"


def test_unknown_invoice_is_logged_and_acknowledged(order, send_ipn):
    body = ipn_body("completed_utf8.txt", order, invoice="261101-ZZZZZ")
    assert send_ipn(body).status_code == 200
    assert state_of(order) == "created"
    assert payments(order) == []


def test_custom_must_match_the_invoice(order, send_ipn):
    body = ipn_body("completed_utf8.txt", order, custom="0" * 32)
    assert send_ipn(body).status_code == 200
    assert state_of(order) == "created"


@pytest.mark.parametrize("status", ["Denied", "Failed", "Expired", "Voided"])
def test_failures_mark_payment_failed(order, send_ipn, status):
    send_ipn(ipn_body("completed_utf8.txt", order, payment_status=status))
    assert state_of(order) == "payment_failed"


def test_echeck_pending_then_completed(order, send_ipn):
    send_ipn(ipn_body("pending_echeck.txt", order))
    assert state_of(order) == "created"
    assert order.payment_pending == "echeck"
    send_ipn(ipn_body("pending_echeck.txt", order, payment_status="Completed"))
    assert state_of(order) == "paid"
    assert order.payment_pending == ""
    assert [p.status for p in payments(order)] == ["Pending", "Completed"]


def test_out_of_order_never_moves_backwards(order, send_ipn):
    send_ipn(ipn_body("pending_echeck.txt", order, payment_status="Completed"))
    send_ipn(ipn_body("pending_echeck.txt", order))  # the older Pending, late
    send_ipn(ipn_body("pending_echeck.txt", order, payment_status="Denied"))
    assert state_of(order) == "paid"
    assert order.payment_pending == ""
    assert len(payments(order)) == 3


def test_full_refund(order, send_ipn):
    send_ipn(ipn_body("completed_utf8.txt", order))
    send_ipn(ipn_body("refunded.txt", order))
    assert state_of(order) == "refunded"
    refund = [p for p in payments(order) if p.status == "Refunded"][0]
    assert refund.amount == Decimal("-50.00")
    assert refund.parent_txn_id == "61E67681CH3238416"


def test_partial_refund_is_recorded(order, send_ipn):
    send_ipn(ipn_body("completed_utf8.txt", order))
    send_ipn(ipn_body("refunded.txt", order, mc_gross="-10.00"))
    assert state_of(order) == "paid"
    assert order.history[-1].action == "partial refund"
    assert order.history[-1].new == "10.00"


def test_reversal_flags_and_its_cancelation_clears(order, send_ipn, inbox):
    send_ipn(ipn_body("completed_utf8.txt", order))
    send_ipn(ipn_body("reversed.txt", order))
    transaction.begin()
    assert "reversed" in order.attention
    send_ipn(
        ipn_body(
            "reversed.txt", order, payment_status="Canceled_Reversal", txn_id="7XC4567"
        )
    )
    transaction.begin()
    assert order.attention == ""
    assert state_of(order) == "paid"


def test_paid_after_cancel_is_flagged_unless_accepted(order, send_ipn):
    from getpaid.orders import api as shop
    from getpaid.orders.workflow import SOURCE_MANAGER

    with api.env.adopt_roles(["Manager"]):
        shop.cancel_order(order, source=SOURCE_MANAGER)
    transaction.commit()
    send_ipn(ipn_body("completed_utf8.txt", order))
    assert state_of(order) == "canceled"
    assert "after it was canceled" in order.attention

    api.portal.set_registry_record("getpaid.orders.paypal_pay_canceled_orders", True)
    transaction.commit()
    send_ipn(ipn_body("completed_utf8.txt", order, txn_id="9ZZ999"))
    assert state_of(order) == "paid"


def test_timed_out_order_can_still_be_paid(order, send_ipn):
    from getpaid.orders import api as shop

    shop.time_out(order)
    transaction.commit()
    send_ipn(ipn_body("completed_utf8.txt", order))
    assert state_of(order) == "paid"


def test_test_ipn_acts_only_in_sandbox(order, send_ipn):
    body = ipn_body("completed_utf8.txt", order, test_ipn="1")
    assert send_ipn(body).status_code == 200
    assert state_of(order) == "created"


def test_html_and_oversized_fields(order, send_ipn):
    body = ipn_body(
        "completed_utf8.txt",
        order,
        memo="%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        address_street="A" * 5000,
    )
    assert send_ipn(body).status_code == 200
    assert state_of(order) == "paid"
    (payment,) = payments(order)
    assert payment.raw == body


def test_oversized_body_refused(order, send_ipn):
    body = ipn_body("completed_utf8.txt", order, memo="x" * (70 * 1024))
    assert send_ipn(body).status_code == 400
    assert state_of(order) == "created"


def test_get_is_not_allowed(paypal_shop):
    response = requests.get(paypal_shop.absolute_url() + "/@@paypal-ipn", timeout=30)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_pending_payment_keeps_the_order_from_timing_out(order, send_ipn):
    from getpaid.orders import api as shop
    from getpaid.orders.exceptions import TransitionNotAllowed

    send_ipn(ipn_body("pending_echeck.txt", order))
    transaction.begin()
    with pytest.raises(TransitionNotAllowed, match="pending payment"):
        shop.time_out(order)
    assert state_of(order) == "created"


@pytest.mark.parametrize(
    "case, status, answer",
    [
        ("handled", 200, "OK"),
        ("forged", 200, "Ignored"),
        ("unverifiable", 503, "Try again"),
        ("oversized", 400, "Not an IPN"),
        ("get", 405, "POST only"),
    ],
)
def test_every_answer_is_plain_text_for_paypal(
    order, send_ipn, verifier, paypal_shop, case, status, answer
):
    body = ipn_body("completed_utf8.txt", order)
    if case == "forged":
        response = send_ipn(body, genuine=False)
    elif case == "unverifiable":
        verifier.mode = "500"
        response = send_ipn(body)
    elif case == "oversized":
        response = send_ipn(ipn_body("completed_utf8.txt", order, memo="x" * 70_000))
    elif case == "get":
        listener = f"{paypal_shop.absolute_url()}/@@paypal-ipn"
        response = requests.get(listener, timeout=30)
    else:
        response = send_ipn(body)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == answer  # not wrapped in the site's page


# Issue 20: refund arithmetic, paid twice, odd amounts, ids, reversal flags


def alerts(inbox, count: int) -> list[str]:
    """The bodies of the shop's "needs attention" mails, once ``count`` came."""
    deadline = time.monotonic() + 5

    def found():
        return [
            message.get_body(("plain",)).get_content()
            for _, recipients, message in inbox.received
            if recipients == ["orders@example.org"]
            and "needs attention" in message["Subject"]
        ]

    while len(found()) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return found()


def refund_ipn(order, txn_id: str, gross: str) -> bytes:
    return ipn_body("refunded.txt", order, txn_id=txn_id, mc_gross=gross)


def test_refunds_beyond_what_was_paid_are_flagged(order, send_ipn, inbox):
    send_ipn(ipn_body("completed_utf8.txt", order))
    for n in range(3):  # 60.00 refunded of 50.00 paid
        assert send_ipn(refund_ipn(order, f"R{n}", "-20.00")).status_code == 200
    assert state_of(order) == "paid"
    assert [p.status for p in payments(order)] == ["Completed"] + ["Refunded"] * 3
    assert [e.action for e in order.history[-3:]] == [
        "partial refund",
        "partial refund",
        "payment problem",
    ]
    assert order.attention == ("PayPal R2: refunds of 60.00 EUR exceed the 50.00 paid")
    (alert,) = alerts(inbox, 1)
    assert order.attention in alert


def test_partial_refunds_that_reach_what_was_paid_refund_the_order(
    order, send_ipn, inbox
):
    send_ipn(ipn_body("completed_utf8.txt", order))
    send_ipn(refund_ipn(order, "R1", "-20.00"))
    assert state_of(order) == "paid"
    send_ipn(refund_ipn(order, "R2", "-30.00"))
    assert state_of(order) == "refunded"
    assert order.attention == ""


def test_a_refund_of_an_order_never_paid_is_flagged(order, send_ipn, inbox):
    assert send_ipn(refund_ipn(order, "R1", "-50.00")).status_code == 200
    assert state_of(order) == "created"
    assert "but nothing was paid" in order.attention
    assert len(payments(order)) == 1
    assert len(alerts(inbox, 1)) == 1


def test_a_second_payment_on_a_paid_order_is_flagged(order, send_ipn, inbox):
    send_ipn(ipn_body("completed_utf8.txt", order))
    assert send_ipn(ipn_body("completed_utf8.txt", order, txn_id="2ND")).ok
    assert state_of(order) == "paid"
    assert len(payments(order)) == 2
    assert order.attention == "PayPal 2ND: paid twice: refund one"
    (alert,) = alerts(inbox, 1)
    assert order.attention in alert


@pytest.mark.parametrize("gross", ["-1.005", "-1E-30", "-1E+999999999"])
def test_a_refund_no_currency_has_is_kept_flagged_and_shown(
    order, send_ipn, inbox, gross
):
    send_ipn(ipn_body("completed_utf8.txt", order))
    sent = refund_ipn(order, "R1", gross.replace("+", "%2B"))
    assert send_ipn(sent).status_code == 200
    refund = payments(order)[-1]
    assert (refund.status, refund.amount) == ("Refunded", Decimal(gross))
    assert str(refund.amount) == str(Decimal(gross))  # exactly as PayPal sent it
    assert order.attention.startswith(f"PayPal R1: refund of {Decimal(gross)}")
    assert state_of(order) == "paid"
    assert len(alerts(inbox, 1)) == 1
    staff = {"auth": (SITE_OWNER_NAME, SITE_OWNER_PASSWORD), "timeout": 30}
    page = requests.get(order.absolute_url(), **staff)
    assert page.status_code == 200
    assert f"{Decimal(gross)} EUR" in page.text  # as received, not rounded
    assert requests.get(refund.absolute_url(), **staff).status_code == 200
    rest = requests.get(
        order.absolute_url(), headers={"Accept": "application/json"}, **staff
    )
    last = rest.json()["payments"][-1]
    assert (last["kind"], last["amount"]) == ("refund", str(Decimal(gross)))
    folder = order.aq_parent.absolute_url()
    assert requests.get(folder, **staff).status_code == 200
    assert requests.get(folder + "/@@orders-csv", **staff).status_code == 200


def test_statuses_differing_in_case_are_two_messages(order, send_ipn):
    send_ipn(ipn_body("completed_utf8.txt", order, payment_status="completed"))
    send_ipn(ipn_body("completed_utf8.txt", order))
    assert state_of(order) == "paid"
    assert [p.status for p in payments(order)] == ["completed", "Completed"]


def test_a_body_that_decodes_to_half_a_character_is_no_ipn(order, send_ipn):
    """UTF-7 decodes +2D0- to a lone surrogate, which the flag's alert and
    the log could not write: it was a 500, so PayPal sent it for ever."""
    body = ipn_body(
        "refunded.txt",  # ASCII only, as UTF-7 needs
        order,
        payment_status="Completed",
        mc_gross="5.00",  # flagged: the reason names the transaction
        charset="utf-7",
        txn_id="%2B2D0-",
    )
    assert send_ipn(body).status_code == 400
    assert (state_of(order), payments(order)) == ("created", [])


def test_messages_without_txn_id_are_told_apart(order, send_ipn):
    skipped = ipn_body("completed_utf8.txt", order, txn_id=None, payment_status=None)
    other = skipped + b"&reason_code=other"
    for body in (skipped, other, skipped):
        assert send_ipn(body).status_code == 200
    assert [p.raw for p in payments(order)] == [skipped, other]


def test_an_old_message_recorded_before_the_ids_changed_is_a_duplicate(
    order, send_ipn, inbox
):
    """The payment was recorded (and the order paid) under the old id; PayPal
    sends the message again after the upgrade."""
    body = ipn_body("completed_utf8.txt", order)
    old = createContent(
        "Payment",
        provider="paypal",
        txn_id="61E67681CH3238416",
        status="Completed",
        amount=Decimal("50.00"),
        currency="EUR",
        raw=body,
        charset="utf-8",
        received_at=datetime.now(UTC),
    )
    old.id = "paypal-61e67681ch3238416-completed"
    order._setObject(old.id, old)
    shop.mark_paid(order)
    transaction.commit()
    assert send_ipn(body).status_code == 200
    assert [p.getId() for p in payments(order)] == [old.id]
    assert order.attention == ""  # not "paid twice"


def test_a_canceled_reversal_clears_only_its_reversal(order, send_ipn, inbox):
    with api.env.adopt_roles(["Manager"]):
        shop.cancel_order(order, source=SOURCE_MANAGER)
    transaction.commit()
    send_ipn(ipn_body("completed_utf8.txt", order))  # flagged: refund it
    transaction.begin()
    refund_it = order.attention
    assert refund_it.endswith("paid after it was canceled: refund it")
    # A reversal of another payment is canceled: nothing of ours is cleared.
    send_ipn(
        ipn_body(
            "reversed.txt",
            order,
            payment_status="Canceled_Reversal",
            txn_id="CR0",
            parent_txn_id="OTHER",
        )
    )
    transaction.begin()
    assert order.attention == refund_it
    send_ipn(ipn_body("reversed.txt", order))
    transaction.begin()
    reversed_ = "PayPal 1TS34356Y9384064D: the payment was reversed (a chargeback)"
    assert order.attention == f"{refund_it}\n{reversed_}"
    canceled = ipn_body("reversed.txt", order, payment_status="Canceled_Reversal")
    send_ipn(canceled.replace(b"txn_id=1TS34356Y9384064D", b"txn_id=CR1"))
    transaction.begin()
    assert order.attention == refund_it
    assert order.history[-1].action == "reversal canceled"
    assert state_of(order) == "canceled"


def test_another_payments_failure_leaves_a_pending_payment_pending(order, send_ipn):
    send_ipn(ipn_body("pending_echeck.txt", order))
    send_ipn(ipn_body("completed_utf8.txt", order, payment_status="Failed", txn_id="B"))
    transaction.begin()
    assert order.payment_pending == "echeck"  # the eCheck is still clearing
    send_ipn(ipn_body("pending_echeck.txt", order, payment_status="Failed"))
    transaction.begin()
    assert order.payment_pending == ""
