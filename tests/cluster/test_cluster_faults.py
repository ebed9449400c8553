"""Faults under load: a Zope process killed, PostgreSQL restarted.

What must hold afterwards, read from the orders folder itself in a third
process (tests/cluster/audit.py): every order a client was told about
exists, none is half made, and retrying what failed (same idempotency key,
the same IPN) completes it once.
"""

from cluster_helpers import new_tag
from cluster_helpers import pay_form
from cluster_helpers import settled
from concurrent.futures import ThreadPoolExecutor
from getpaid.orders.infrastructure.database_unavailable import BODY
from shop_fixtures import age_failed_sends

import requests
import time
import uuid


LOAD = 48
DATABASE_UNAVAILABLE = (BODY.decode(), "5")


def email(n: int, tag: str) -> str:
    return f"buyer{n}-{tag}@example.org"


def submit_orders(cluster, tag, keys, while_running, refusals=None) -> list:
    """Checkouts on both instances, ``while_running()`` once a few are in.

    Each outcome is the HTTP status, or None when the connection died;
    ``refusals`` collects the body and Retry-After of each other answer.
    """
    refusals = [] if refusals is None else refusals

    def place(n):
        try:
            answer = cluster.checkout(n % 2, email(n, tag), tag, key=keys[n])
            if answer.status_code != 201:
                refusals.append((answer.text, answer.headers.get("Retry-After")))
            return answer.status_code
        except requests.RequestException:
            return None

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(place, n) for n in range(len(keys))]
        while sum(f.done() for f in futures) < 8:
            time.sleep(0.02)
        while_running()
        return [f.result() for f in futures]


def retry_until_placed(cluster, tag: str, keys: list, outcomes: list) -> None:
    """What a client does with a failed checkout: send it again, same key."""
    deadline = time.monotonic() + 60
    for n, outcome in enumerate(outcomes):
        while outcome not in (200, 201):
            assert time.monotonic() < deadline, "the shop did not come back"
            try:
                outcome = cluster.checkout(
                    n % 2, email(n, tag), tag, key=keys[n]
                ).status_code
            except requests.RequestException:
                time.sleep(0.5)


def test_killed_instance_loses_no_order_and_leaves_none_half_made(cluster):
    tag = new_tag()
    keys = [str(uuid.uuid4()) for _ in range(LOAD)]
    outcomes = submit_orders(cluster, tag, keys, cluster.instances[0].kill)
    cluster.instances[0].start()

    assert None in outcomes  # the kill did cut requests off
    assert set(outcomes) <= {201, None}
    told = {email(n, tag) for n, outcome in enumerate(outcomes) if outcome == 201}
    audit = cluster.audit(tag)
    assert told <= set(audit["stored"])  # nothing a client was told about is lost
    assert audit["problems"] == []

    retry_until_placed(cluster, tag, keys, outcomes)
    audit = cluster.audit(tag)
    assert audit["stored"] == sorted(email(n, tag) for n in range(LOAD))  # once each
    assert audit["catalogued"] == LOAD
    assert audit["problems"] == []


def test_notifications_cut_by_a_kill_complete_when_retried(cluster):
    tag = new_tag()
    placed = [cluster.checkout(1, email(n, tag), tag).json() for n in range(10)]
    messages = []
    for order in placed:
        message = cluster.simulator.ipn(pay_form(order["owner_link"]), "Completed")
        cluster.simulator.issued.add(message)
        messages.append(message)

    def deliver(message, n=0):
        try:
            return cluster.notify(n, message)
        except requests.RequestException:
            return None

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(deliver, message) for message in messages]
        while not any(f.done() for f in futures):
            time.sleep(0.01)
        cluster.instances[0].kill()
        statuses = [f.result() for f in futures]
    cluster.instances[0].start()
    assert None in statuses

    # PayPal resends what got no 200, and may resend the rest too: through
    # the balancer, to either instance.
    for n, message in enumerate(messages):
        assert deliver(message, n % 2) == 200
    audit = cluster.audit(tag)
    assert audit["states"] == ["paid"] * 10
    assert audit["payments"] == [1] * 10
    assert audit["problems"] == []


def test_postgres_restart_under_load_gives_clean_errors_then_service_resumes(cluster):
    tag = new_tag()
    keys = [str(uuid.uuid4()) for _ in range(LOAD)]
    refusals = []
    outcomes = submit_orders(cluster, tag, keys, cluster.postgres.restart, refusals)

    # Zope stayed up and answered every request: an order, or a clean refusal.
    assert None not in outcomes
    assert set(outcomes) <= {201, 503}, refusals
    assert set(refusals) <= {DATABASE_UNAVAILABLE}  # 503, Retry-After, no traceback
    retry_until_placed(cluster, tag, keys, outcomes)
    audit = cluster.audit(tag)
    assert audit["stored"] == sorted(email(n, tag) for n in range(LOAD))
    assert audit["problems"] == []


def test_database_down_answers_503_and_the_retried_checkout_places_once(cluster):
    """Not left to timing: PostgreSQL is down while both instances are asked."""
    tag = new_tag()
    key = str(uuid.uuid4())
    cluster.postgres.stop()
    try:
        answers = [cluster.checkout(n, email(0, tag), tag, key=key) for n in (0, 1)]
        page = requests.get(f"{cluster.site(1)}/shop", timeout=60)
    finally:
        cluster.postgres.start()

    for answer in [*answers, page]:
        assert answer.status_code == 503
        assert (answer.text, answer.headers["Retry-After"]) == DATABASE_UNAVAILABLE
        assert answer.headers["Cache-Control"] == "no-store"
    retry_until_placed(cluster, tag, [key], [503])
    audit = cluster.audit(tag)
    assert audit["stored"] == [email(0, tag)]
    assert audit["problems"] == []


def test_a_confirmation_survives_the_mail_server_down_and_a_kill(cluster):
    """Committed with the order, the mail waits in the queue folder, and the
    restarted instance sends it: the other one is stopped meanwhile."""
    tag = new_tag()
    instance, other = cluster.instances
    cluster.mail_server.stop()
    try:
        placed = cluster.checkout(0, email(0, tag), tag)
        instance.kill()  # nothing it held in memory is needed
        other.stop()
    finally:
        cluster.mail_server.start()
    assert placed.status_code == 201
    # What a minute does to the attempts made while the server was down.
    age_failed_sends(cluster.folder / "mailqueue")
    instance.start()

    def confirmations():
        return [m["Subject"] for m in cluster.mails_to(email(0, tag))]

    try:
        (subject,) = settled(confirmations)  # once
    finally:
        other.start()
    assert placed.json()["order_number"] in subject
