"""The demo's outbox (tools/mail_outbox.py): a real SMTP server on loopback
that keeps each mail as a file and prints where it is and its links."""

from email.message import EmailMessage
from pathlib import Path
from plone import api
from shop_fixtures import free_port

import importlib.util
import smtplib
import subprocess
import sys


TOOL = Path(__file__).parents[2] / "tools" / "mail_outbox.py"


def started(port: int, folder: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, TOOL, "--port", str(port), "--folder", folder],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().startswith(f"Demo outbox on port {port}")
    return process


def test_a_mail_is_kept_and_its_link_printed(tmp_path):
    port, folder = free_port(), tmp_path / "outbox"
    process = started(port, folder)
    try:
        message = EmailMessage()
        message["From"], message["To"] = "shop@example.org", "ada@example.org"
        message["Subject"] = "Your order 261123-ABCDE"
        message.set_content("Pay later: http://localhost:8080/Plone/@@order-status/t0k")
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.send_message(message)
        printed = [process.stdout.readline().strip() for _ in range(3)]
    finally:
        process.terminate()
    assert process.wait(timeout=10) == 0
    (kept,) = folder.glob("*.eml")
    assert b"Subject: Your order 261123-ABCDE" in kept.read_bytes()
    assert printed == [
        "Mail to ada@example.org: Your order 261123-ABCDE",
        str(kept),
        "http://localhost:8080/Plone/@@order-status/t0k",
    ]


def create_site_script():
    path = Path(__file__).parents[2] / "scripts" / "create_site.py"
    spec = importlib.util.spec_from_file_location("create_site", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_site_mails_to_the_outbox(portal):
    api.portal.set_registry_record("plone.email_from_address", "")
    create_site_script().mail_to_outbox(8025)
    record = api.portal.get_registry_record
    assert (record("plone.smtp_host"), record("plone.smtp_port")) == ("127.0.0.1", 8025)
    assert record("plone.email_from_address") == "shop@example.org"
    assert record("getpaid.orders.shop_email") == "orders@example.org"


def test_a_sender_set_by_hand_is_kept(portal):
    api.portal.set_registry_record("plone.email_from_address", "sales@shop.example")
    create_site_script().mail_to_outbox(8025)
    assert api.portal.get_registry_record("plone.email_from_address") == (
        "sales@shop.example"
    )
