"""The translations are complete, current, and actually used.

`make i18n` rebuilds the .pot from the code and syncs every .po; these tests
fail on a string the .pot lacks, an entry a language misses or left fuzzy,
and a placeholder a translation dropped.
"""

from babel.messages.pofile import read_po
from pathlib import Path

import pytest
import re
import subprocess
import sys


LOCALES = Path(__file__).parents[2] / "src" / "getpaid" / "orders" / "locales"
LANGUAGES = ("de", "it", "pl")
PLACEHOLDER = re.compile(r"\$\{\w+\}")


def catalog(path: Path):
    with path.open("rb") as source:
        return read_po(source)


def entries(path: Path) -> dict:
    return {message.id: message for message in catalog(path) if message.id}


@pytest.fixture(scope="module")
def template() -> dict:
    return entries(LOCALES / "getpaid.orders.pot")


def test_the_template_is_in_step_with_the_code(tmp_path, template):
    fresh = tmp_path / "fresh.pot"
    i18ndude = Path(sys.executable).parent / "i18ndude"
    subprocess.run(
        [i18ndude, "rebuild-pot", "--pot", fresh, "--create", "getpaid.orders"]
        + [LOCALES.parent],
        check=True,
        capture_output=True,
    )
    current = set(entries(fresh))
    assert current - set(template) == set(), "new strings: run `make i18n`"
    assert set(template) - current == set(), "strings gone: run `make i18n`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language, template):
    po = entries(LOCALES / language / "LC_MESSAGES" / "getpaid.orders.po")
    assert set(po) == set(template)
    missing = [id for id, message in po.items() if not message.string]
    fuzzy = [id for id, message in po.items() if message.fuzzy]
    assert (missing, fuzzy) == ([], [])
    broken = [
        id
        for id, message in po.items()
        if sorted(PLACEHOLDER.findall(id))
        != sorted(PLACEHOLDER.findall(message.string))
    ]
    assert broken == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_workflow_titles_are_translated_for_plones_screens(language):
    ours = entries(LOCALES / language / "LC_MESSAGES" / "getpaid.orders.po")
    plone = catalog(LOCALES / language / "LC_MESSAGES" / "plone.po")
    assert not plone.fuzzy  # a fuzzy header is skipped, charset and all
    plone = {message.id: message.string for message in plone if message.id}
    for state in ("Created", "Paid", "Payment failed", "Delivered", "Refunded"):
        assert plone[state] == ours[state].string != ""


@pytest.fixture
def german_shop(shop_site):
    from plone import api

    import transaction

    api.portal.set_registry_record("plone.available_languages", ["de"])
    api.portal.set_registry_record("plone.default_language", "de")
    transaction.commit()
    return shop_site


def test_pages_mails_and_refusals_speak_german(german_shop, inbox):
    from plone.testing.zope import Browser

    browser = Browser(german_shop.aq_parent)
    portal_url = german_shop.absolute_url()
    browser.open(f"{portal_url}/@@cart")
    assert "Ihr Warenkorb ist leer." in browser.contents
    browser.open(f"{portal_url}/mug")
    browser.getControl("In den Warenkorb").click()
    browser.open(f"{portal_url}/@@checkout")
    assert "Vorname" in browser.contents and "Nachname" in browser.contents
    browser.getControl("Vorname").value = "Ada"
    browser.getControl("Nachname").value = "Lovelace"
    for name, value in (
        ("street", "Unter den Linden 1"),
        ("postal_code", "10117"),
        ("city", "Berlin"),
    ):
        browser.getControl(name=f"form.widgets.billing_{name}").value = value
    countries = browser.getControl(name="form.widgets.billing_country:list")
    assert "Österreich" in countries.displayOptions  # country names in German
    countries.value = ["DE"]
    browser.getControl("Ich akzeptiere die Geschäftsbedingungen").selected = True
    browser.getControl("E-Mail").value = "ada-at-example.org"
    browser.getControl("Bestellung aufgeben").click()
    assert "'ada-at-example.org' ist keine E-Mail-Adresse." in browser.contents
    browser.getControl("E-Mail").value = "ada@example.org"
    browser.getControl("Bestellung aufgeben").click()
    assert "wurde angelegt." in browser.contents
    assert "Angelegt" in browser.contents  # the state, in the order's domain
    assert "Deutschland" in browser.contents  # the billing address's country
    assert "12,50\xa0€" in browser.contents  # amounts as Germans write them
    (_, _, mail), *_ = inbox.wait_for(1)
    assert mail["Subject"].startswith("Ihre Bestellung ")
    assert "vielen Dank für Ihre Bestellung" in mail.get_body(("plain",)).get_content()


def test_a_customers_mails_speak_the_language_they_ordered_in(shop_site, inbox):
    """Ordered in German on a shop in English: the mails PayPal's notification
    or staff set off later are German too; the shop's copy is English."""
    from getpaid.orders import api as shop
    from plone import api

    import transaction

    browser = browser_speaking(shop_site, "de", available=["en", "de"])
    browser.open(f"{shop_site.absolute_url()}/mug")
    browser.getControl("In den Warenkorb").click()
    browser.open(f"{shop_site.absolute_url()}/@@checkout")
    for name, value in (
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("email", "ada@example.org"),
        ("billing_street", "Unter den Linden 1"),
        ("billing_postal_code", "10117"),
        ("billing_city", "Berlin"),
    ):
        browser.getControl(name=f"form.widgets.{name}").value = value
    browser.getControl(name="form.widgets.billing_country:list").value = ["DE"]
    browser.getControl("Ich akzeptiere die Geschäftsbedingungen").selected = True
    browser.getControl("Bestellung aufgeben").click()
    inbox.wait_for(2)
    inbox.received.clear()

    transaction.begin()
    (order,) = shop_site["orders"].objectValues()
    assert order.customer_language == "de"
    with api.env.adopt_roles(["Manager"]):  # as staff, in English
        shop.mark_paid(order)
    transaction.commit()
    received = {r[0]: m for _, r, m in inbox.wait_for(2)}
    to_customer = received["ada@example.org"]
    assert to_customer["Subject"].startswith("Zahlung für Ihre Bestellung")
    assert "12,50\xa0€" in to_customer.get_body(("plain",)).get_content()
    to_shop = received["orders@example.org"]
    assert to_shop["Subject"].startswith("Payment received for your order")


def test_mails_fall_back_to_the_sites_language_as_pages_do(
    german_shop, customer, inbox
):
    """No French catalog: a French browser reads the German shop, and so do
    its mails; an order that kept no language gets the site's too."""
    from getpaid.orders import api as shop
    from plone import api

    import transaction

    browser = browser_speaking(german_shop, "fr", available=["de", "fr"])
    browser.open(f"{german_shop.absolute_url()}/@@cart")
    assert "Ihr Warenkorb ist leer." in browser.contents

    order = shop.place_order([(german_shop["mug"], 1)], customer)
    assert order.customer_language == ""  # placed by a script
    with api.env.adopt_roles(["Manager"]):
        shop.mark_paid(order)
    transaction.commit()
    (to_customer,) = [m for _, r, m in inbox.wait_for(2) if r == ["ada@example.org"]]
    assert to_customer["Subject"].startswith("Zahlung für Ihre Bestellung")


def browser_speaking(site, language: str, available: list[str]):
    """A browser asking for ``language`` of a site that negotiates among
    ``available``."""
    from plone import api
    from plone.testing.zope import Browser

    import transaction

    api.portal.set_registry_record("plone.available_languages", available)
    api.portal.set_registry_record("plone.use_request_negotiation", True)
    transaction.commit()
    browser = Browser(site.aq_parent)
    browser.addHeader("Accept-Language", language)
    return browser
