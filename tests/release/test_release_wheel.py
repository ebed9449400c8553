"""The built wheel, installed as README's "Install in your site" says, into a
fresh virtual environment (not the checkout), serves a shop: a Plone site is
created and the add-on activated over HTTP, then an order is placed, paid
through the PayPal simulator, listed by staff and read in German."""

from conftest import BIN
from conftest import CHECKOUT
from conftest import without_compiling
from pathlib import Path
from shop_fixtures import free_port
from shop_fixtures import paypal_simulator

import lxml.html
import pytest
import re
import requests
import subprocess
import sys
import time


ADMIN = ("admin", "admin")
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def fresh_venv(dist, tmp_path_factory) -> Path:
    """README: ``uv pip install -c constraints.txt getpaid.orders``, with the
    wheel found in ``dist`` and every other package in the warm cache."""
    venv = tmp_path_factory.mktemp("integrator") / "venv"
    subprocess.run(
        [BIN / "uv", "venv", "--quiet", "--python", sys.executable, venv], check=True
    )
    subprocess.run(
        [
            BIN / "uv",
            "pip",
            "install",
            "--quiet",
            "--offline",
            "--python",
            venv / "bin" / "python",
            "-c",
            CHECKOUT / "constraints.txt",
            "--find-links",
            dist,
            "getpaid.orders",
        ],
        check=True,
    )
    return venv


@pytest.fixture(scope="module")
def zope(fresh_venv):
    """A Zope instance made by Zope's own mkwsgiinstance (FileStorage), served
    by runwsgi from the fresh environment, without compiling any catalog."""
    home = fresh_venv.parent / "instance"
    subprocess.run(
        [fresh_venv / "bin" / "mkwsgiinstance", "-d", home, "-u", ":".join(ADMIN)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    ini = home / "etc" / "zope.ini"
    ini.write_text(re.sub(r"(?m)^port = \d+$", f"port = {port}", ini.read_text()))
    conf = home / "etc" / "zope.conf"
    assert "compile_mo_files" not in conf.read_text()
    conf.write_text(  # Plone keeps images as blobs
        conf.read_text().replace(
            "<filestorage>", f"<filestorage>\n     blob-dir {home / 'var' / 'blobs'}"
        )
    )
    log = (home / "zope.log").open("w")
    server = subprocess.Popen(
        [fresh_venv / "bin" / "runwsgi", ini],
        stdout=log,
        stderr=subprocess.STDOUT,
        # The PayPal Checkout app's secret, as a real site gets it.
        env={**without_compiling(), "GETPAID_PAYPAL_CLIENT_SECRET": SIMULATOR_SECRET},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, server, home / "zope.log")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def wait_for(url: str, server, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("Zope stopped:\n" + log.read_text()[-3000:])
        try:
            requests.get(url, timeout=5)
            return
        except requests.ConnectionError:
            time.sleep(0.5)
    pytest.fail("Zope did not start:\n" + log.read_text()[-3000:])


SIMULATOR_SECRET = "simulator-secret"  # tools/paypal_rest_simulator.py's app


@pytest.fixture(scope="module")
def site(zope):
    """Site Setup's way, over plone.restapi: a Classic UI site, then the add-on."""
    admin = requests.Session()
    admin.auth, admin.headers = ADMIN, dict(JSON)
    created = admin.post(
        f"{zope}/@sites",
        json={
            "distribution": "classic",
            "site_id": "Plone",
            "title": "Shop",
            "default_language": "en",
            "portal_timezone": "UTC",
            "setup_content": False,
        },
        timeout=120,
    )
    assert created.status_code == 200, created.text
    site = f"{zope}/Plone"
    installed = admin.post(f"{site}/@addons/getpaid.orders/install", timeout=120)
    assert installed.status_code in (200, 204), installed.text
    return site, admin


@pytest.fixture
def paypal(site):
    """The PayPal simulator over loopback, and the shop paying through its
    REST API (PayPal Checkout), webhooks and all."""
    url, admin = site
    simulator, server, base = paypal_simulator.serve(0)
    rest = simulator.rest
    assert rest.client_secret == SIMULATOR_SECRET
    rest.retry_seconds = 0.2
    rest.webhook_url = f"{url}/@@paypal-webhook"
    settings = admin.patch(
        f"{url}/@controlpanels/getpaid-orders-settings",
        json={
            "payment_providers": ["paypal_checkout"],
            "paypal_mode": "custom",
            "paypal_api_url": base,
            "paypal_client_id": rest.client_id,
            "paypal_webhook_id": rest.webhook_id,
            "paypal_merchant_id": "SIMULATORMERCHANT",
        },
    )
    assert settings.status_code == 204, settings.text
    yield base
    server.shutdown()


def test_the_wheel_is_what_runs(fresh_venv):
    found = subprocess.run(
        [
            fresh_venv / "bin" / "python",
            "-c",
            "import getpaid.orders; print(getpaid.orders.__file__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(fresh_venv) in found and str(CHECKOUT) not in found


def test_a_shop_from_the_wheel_takes_and_lists_a_paid_order(site, paypal):
    url, admin = site
    product = admin.post(
        url,
        json={
            "@type": "Product",
            "id": "mug",
            "title": "Mug",
            "price": "12.50",
            "currency": "EUR",
        },
    )
    assert product.status_code == 201, product.text
    published = admin.post(f"{url}/mug/@workflow/publish")
    assert published.status_code == 200, published.text

    customer = requests.Session()  # anonymous
    customer.headers.update(JSON)
    placed = customer.post(
        f"{url}/@checkout",
        json={
            "lines": [{"product": product.json()["UID"], "quantity": 2}],
            "customer": {
                "first_name": "Ada",
                "last_name": "Lovelace",
                "email": "ada@example.org",
                "billing_address": {
                    "street": "1 Road",
                    "postal_code": "1000",
                    "city": "Town",
                    "country": "BE",
                },
            },
            "accept_terms": True,
        },
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert (order["total"], order["state"]) == ("25.00", "created")
    owner_link = order["owner_link"]

    # In German, from the compiled catalogs the wheel ships.
    admin.patch(
        f"{url}/@registry",
        json={
            "plone.available_languages": ["en", "de"],
            "plone.use_request_negotiation": True,
        },
    ).raise_for_status()
    page = requests.get(owner_link, headers={"Accept-Language": "de"}, timeout=60)
    assert page.status_code == 200
    assert "Mit PayPal bezahlen" in page.text

    # Pay with PayPal Checkout: the order page's button to our server, which
    # sends the payer to PayPal (the simulator); approve; back to the shop.
    payer = requests.Session()
    document = lxml.html.fromstring(payer.get(owner_link, timeout=60).text)
    (form,) = document.cssselect("form.getpaid-pay-paypal_checkout")
    fields = {i.get("name"): i.get("value") for i in form.inputs if i.get("name")}
    to_paypal = payer.post(
        form.get("action"), data=fields, allow_redirects=False, timeout=60
    )
    assert to_paypal.status_code == 302, to_paypal.text
    assert to_paypal.headers["Location"].startswith(paypal)
    approval = lxml.html.fromstring(
        payer.get(to_paypal.headers["Location"], timeout=60).text
    )
    (approve,) = [f for f in approval.forms if f.get("action").endswith("/approve")]
    back = payer.post(paypal + approve.get("action"), allow_redirects=False, timeout=60)
    returned = payer.get(back.headers["Location"], timeout=60)
    assert returned.url == f"{owner_link}?payment=paid"

    status_url = owner_link.replace("/@@order-status/", "/@order-status/")
    assert customer.get(status_url).json()["state"] == "paid"

    listed = admin.get(f"{url}/@orders").json()
    assert [item["order_number"] for item in listed["items"]] == [order["order_number"]]
    staff_page = requests.get(f"{url}/orders", auth=ADMIN, timeout=60)
    assert order["order_number"] in staff_page.text
