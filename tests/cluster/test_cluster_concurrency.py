"""Two Zope processes, one database: nothing lost, nothing done twice.

Every request crosses real HTTP to one of two instances that share a
PostgreSQL database through RelStorage. Conflicts between them are real
ZODB conflicts, resolved by Zope's retry; side effects (mails) must not
repeat.
"""

from cluster_helpers import new_tag
from cluster_helpers import pay_form
from cluster_helpers import settled
from concurrent.futures import ThreadPoolExecutor

import requests
import threading
import uuid


CHECKOUTS = 40
IPN_COPIES = 8
SWEPT_ORDERS = 12
REMINDED_ORDERS = 12


def place_orders(cluster, count: int, tag: str) -> list:
    def place(n):
        return cluster.checkout(n % 2, f"buyer{n}-{tag}@example.org", tag)

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(place, range(count)))


def test_concurrent_checkouts_on_both_instances_make_one_order_each(cluster):
    tag = new_tag()
    answers = place_orders(cluster, CHECKOUTS, tag)

    assert [a.status_code for a in answers] == [201] * CHECKOUTS, [
        a.text for a in answers if a.status_code != 201
    ]
    numbers = {a.json()["order_number"] for a in answers}
    assert len(numbers) == CHECKOUTS
    for n in (0, 1):  # each instance's catalog has every order, once
        listed = cluster.orders(n, SearchableText=tag)
        assert listed["items_total"] == CHECKOUTS
        assert {item["order_number"] for item in listed["items"]} == numbers
    for answer in answers:
        order = cluster.order(answer.json()["@id"])
        assert order["total"] == "62.50"
        assert [line["quantity"] for line in order["lines"]] == [1, 2]

    # One confirmation per order, retries or not, plus the shop's copy.
    def confirmations():
        return sorted(
            address
            for _sender, recipients, _message in cluster.inbox.received
            for address in recipients
            if tag.lower() in address.lower()
        )

    expected = sorted(f"buyer{n}-{tag}@example.org".lower() for n in range(CHECKOUTS))
    assert [a.lower() for a in settled(confirmations, CHECKOUTS)] == expected


def test_one_checkout_key_sent_to_both_instances_makes_one_order(cluster):
    tag = new_tag()
    key = str(uuid.uuid4())
    barrier = threading.Barrier(6)

    def submit(n):
        barrier.wait()
        return cluster.checkout(n % 2, f"twice-{tag}@example.org", tag, key=key)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(submit, range(6)))

    assert sorted(a.status_code for a in answers) == [200] * 5 + [201]
    assert len({a.json()["order_number"] for a in answers}) == 1
    assert cluster.orders(1, SearchableText=tag)["items_total"] == 1


def test_one_notification_on_both_instances_pays_once(cluster):
    tag = new_tag()
    email = f"ipn-{tag}@example.org"
    placed = cluster.checkout(0, email, tag).json()
    message = cluster.simulator.ipn(pay_form(placed["owner_link"]), "Completed")
    cluster.simulator.issued.add(message)  # the simulator now vouches for it
    barrier = threading.Barrier(IPN_COPIES)

    def deliver(n):
        barrier.wait()
        return cluster.notify(n % 2, message)

    with ThreadPoolExecutor(IPN_COPIES) as pool:
        statuses = list(pool.map(deliver, range(IPN_COPIES)))

    assert statuses == [200] * IPN_COPIES
    order = cluster.order(placed["@id"])
    assert order["review_state"] == "paid"
    assert [p["status"] for p in order["payments"]] == ["Completed"]
    assert [h["action"] for h in order["history"]].count("pay") == 1

    def paid_mails():
        return [
            m["Subject"]
            for m in cluster.mails_to(email)
            if "Payment received" in m["Subject"]
        ]

    assert len(settled(paid_mails)) == 1


def test_sweepers_on_both_instances_move_each_order_once(cluster):
    tag = new_tag()
    answers = place_orders(cluster, SWEPT_ORDERS, tag)
    assert {a.status_code for a in answers} == {201}
    # Older than the default timeout (three days).
    assert cluster.backdate(tag, days=5) == SWEPT_ORDERS
    barrier = threading.Barrier(4)

    def sweep(n):
        barrier.wait()
        answer = requests.get(
            f"{cluster.site(n % 2)}/@@getpaid-sweep",
            params={"key": cluster.sweeper_key},
            timeout=120,
        )
        assert answer.status_code == 200, answer.text
        return int(answer.text.split("timed out: ")[1].split()[0])

    with ThreadPoolExecutor(4) as pool:
        moved = list(pool.map(sweep, range(4)))

    assert sum(moved) == SWEPT_ORDERS  # each order moved by exactly one sweeper
    listed = cluster.orders(1, SearchableText=tag)
    assert {item["state"] for item in listed["items"]} == {"timeout"}
    for answer in answers:
        history = cluster.order(answer.json()["@id"])["history"]
        assert [h["action"] for h in history].count("time_out") == 1

    def timeout_mails():
        return sum(
            "not paid in time" in m["Subject"]
            for n in range(SWEPT_ORDERS)
            for m in cluster.mails_to(f"buyer{n}-{tag}@example.org")
        )

    assert settled(timeout_mails, SWEPT_ORDERS) == SWEPT_ORDERS


def test_sweepers_on_both_instances_send_each_reminder_once(cluster):
    tag = new_tag()
    answers = place_orders(cluster, REMINDED_ORDERS, tag)
    assert {a.status_code for a in answers} == {201}
    numbers = {a.json()["order_number"] for a in answers}
    # Past the first reminder (a day), before the last (12 h before the
    # three days' timeout).
    assert cluster.backdate(tag, days=1.5) == REMINDED_ORDERS
    barrier = threading.Barrier(4)

    def sweep(n):
        barrier.wait()
        answer = requests.get(
            f"{cluster.site(n % 2)}/@@getpaid-sweep",
            params={"key": cluster.sweeper_key},
            timeout=120,
        )
        assert answer.status_code == 200, answer.text
        return [
            line.split()[1].rstrip(":")
            for line in answer.text.splitlines()
            if line.startswith("  reminded ")
        ]

    with ThreadPoolExecutor(4) as pool:
        reminded = [number for found in pool.map(sweep, range(4)) for number in found]

    mine = sorted(number for number in reminded if number in numbers)
    assert mine == sorted(numbers)  # each order reminded by exactly one sweeper
    for answer in answers:
        order = cluster.order(answer.json()["@id"])
        assert [r["kind"] for r in order["reminders"]] == ["first"]
        assert [h["action"] for h in order["history"]].count("first reminder") == 1

    def reminder_mails():
        return sorted(
            n
            for n in range(REMINDED_ORDERS)
            for m in cluster.mails_to(f"buyer{n}-{tag}@example.org")
            if "waiting for payment" in m["Subject"]
        )

    assert settled(reminder_mails, REMINDED_ORDERS) == list(range(REMINDED_ORDERS))
