"""Two Zope processes on one PostgreSQL database, for the scale-out tests.

One session-wide cluster, built from the same pieces as ``make start-cluster``
(scripts/cluster.py): a PostgreSQL cluster initialised in a temporary folder,
the demo site created through zconsole, two instances serving it through
RelStorage, an SMTP server and the PayPal simulator on loopback, in this
process so tests can read what they received.
"""

from aiosmtpd.controller import Controller
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from shop_fixtures import free_port
from shop_fixtures import Inbox
from shop_fixtures import paypal_simulator

import json
import os
import pytest
import requests
import secrets
import shutil
import sys
import tempfile
import uuid
import warnings


HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import cluster as cluster_script  # noqa: E402


ADMIN = ("admin", "admin")
NO_POSTGRES = (
    "PostgreSQL's server binaries are NOT installed: the scale-out tests did "
    "NOT run. `make system` installs them (Debian package postgresql)."
)


class MailServer:
    """The SMTP server on loopback, which can go down and come back on its port."""

    def __init__(self, inbox: Inbox):
        self.inbox, self.controller = inbox, None

    def start(self) -> None:
        # An aiosmtpd controller doesn't start twice: a new one each time.
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.inbox.port
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@dataclass
class Cluster:
    folder: Path
    postgres: cluster_script.Postgres
    instances: list
    simulator: paypal_simulator.Simulator
    simulator_url: str
    inbox: Inbox
    mail_server: MailServer
    sweeper_key: str
    products: dict  # id -> UID

    def site(self, n: int) -> str:
        return f"{self.instances[n].url}/Plone"

    def checkout(self, n: int, email: str, surname: str, key=None, timeout=60):
        """POST @checkout on instance n: a mug and two T-shirts."""
        return requests.post(
            f"{self.site(n)}/@checkout",
            json=order_request(self.products, email, surname),
            headers={
                "Accept": "application/json",
                "Idempotency-Key": key or str(uuid.uuid4()),
            },
            timeout=timeout,
        )

    def notify(self, n: int, message: bytes) -> int:
        """POST an IPN to instance n, as PayPal does: the status answered."""
        return requests.post(
            f"{self.site(n)}/@@paypal-ipn",
            data=message,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=60,
        ).status_code

    def orders(self, n: int = 0, **query) -> dict:
        """``GET @orders`` as the shop's admin."""
        answer = requests.get(
            f"{self.site(n)}/@orders",
            params={"b_size": 1000, **query},
            headers={"Accept": "application/json"},
            auth=ADMIN,
            timeout=60,
        )
        answer.raise_for_status()
        return answer.json()

    def order(self, url: str) -> dict:
        answer = requests.get(
            url, headers={"Accept": "application/json"}, auth=ADMIN, timeout=60
        )
        answer.raise_for_status()
        return answer.json()

    def mails_to(self, address: str) -> list:
        address = address.lower()
        return [
            message
            for _sender, recipients, message in self.inbox.received
            if address in (r.lower() for r in recipients)
        ]

    def audit(self, surname: str) -> dict:
        """What the orders folder itself holds for ``surname`` (see audit.py)."""
        conf = self.instances[0].home / "zope.conf"
        done = cluster_script.zconsole(conf, HERE / "audit.py", surname)
        return json.loads(done.strip().splitlines()[-1])

    def backdate(self, surname: str, days: float) -> int:
        """Make the orders of ``surname`` ``days`` old, from a third process."""
        conf = self.instances[0].home / "zope.conf"
        done = cluster_script.zconsole(conf, HERE / "backdate.py", surname, days)
        return int(done.split()[-1])


def order_request(products: dict, email: str, surname: str) -> dict:
    return {
        "lines": [
            {"product": products["blue-mug"], "quantity": 1},
            {"product": products["plone-t-shirt"], "quantity": 2},
        ],
        "customer": {
            "first_name": "Grace",
            "last_name": surname,
            "email": email,
            "billing_address": {
                "street": "1 Navy Way",
                "postal_code": "10001",
                "city": "New York",
                "country": "US",
            },
        },
        "accept_terms": True,
    }


def configure(site: str, smtp_port: int, simulator_url: str, sweeper_key: str):
    """Mail, PayPal and the sweeper key, set over REST like a shop manager would."""
    webscr = f"{simulator_url}/cgi-bin/webscr"
    for panel, values in (
        (
            "mail",
            {
                "smtp_host": "127.0.0.1",
                "smtp_port": smtp_port,
                "email_from_address": "shop@example.org",
                "email_from_name": "Cluster shop",
            },
        ),
        (
            "getpaid-orders-settings",
            {
                "shop_email": "orders@example.org",
                "paypal_mode": "custom",
                "paypal_payment_url": webscr,
                "paypal_verify_url": webscr,
                "paypal_receiver_email": "shop@example.org",
                "sweeper_key": sweeper_key,
            },
        ),
    ):
        answer = requests.patch(
            f"{site}/@controlpanels/{panel}",
            json=values,
            headers={"Accept": "application/json"},
            auth=ADMIN,
            timeout=60,
        )
        assert answer.status_code == 204, answer.text


def product_uids(site: str) -> dict:
    uids = {}
    for id in ("blue-mug", "plone-t-shirt"):
        answer = requests.get(
            f"{site}/shop/{id}", headers={"Accept": "application/json"}, timeout=60
        )
        answer.raise_for_status()
        uids[id] = answer.json()["UID"]
    return uids


@pytest.fixture(scope="session")
def cluster():
    if cluster_script.postgres_bin() is None:
        warnings.warn(NO_POSTGRES, stacklevel=1)
        pytest.skip(NO_POSTGRES)
    with ExitStack() as cleanup:  # undoes whatever got started, in reverse
        # PostgreSQL runs as user postgres when we are root: it must reach the folder.
        folder = Path(tempfile.mkdtemp(prefix="getpaid-cluster-"))
        folder.chmod(0o755)
        if not os.environ.get("GETPAID_KEEP_CLUSTER"):
            cleanup.callback(shutil.rmtree, folder, ignore_errors=True)
        postgres, instances = cluster_script.prepare(
            folder, (free_port(), free_port()), free_port(), fast=True
        )
        cleanup.callback(postgres.stop)

        inbox = Inbox()
        inbox.port = free_port()
        mail_server = MailServer(inbox)
        mail_server.start()
        cleanup.callback(mail_server.stop)
        simulator, server, simulator_url = paypal_simulator.serve(0)
        simulator.retry_seconds = 0.2
        cleanup.callback(server.shutdown)

        for instance in instances:
            cleanup.callback(instance.stop)
            instance.start()
        key = secrets.token_urlsafe(24)
        site = f"{instances[0].url}/Plone"
        configure(site, inbox.port, simulator_url, key)
        yield Cluster(
            folder=folder,
            postgres=postgres,
            instances=instances,
            simulator=simulator,
            simulator_url=simulator_url,
            inbox=inbox,
            mail_server=mail_server,
            sweeper_key=key,
            products=product_uids(site),
        )
