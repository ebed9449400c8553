"""Every mail is a page template, a view named ``getpaid-mail-<name>`` on the
site for the shop's browser layer: an integrator overrides one for their
own layer. The plain-text part is made from its HTML."""

from getpaid.orders import api as shop
from getpaid.orders.browser.mails import MailView
from getpaid.orders.interfaces import IGetpaidOrdersLayer
from getpaid.orders.language import current_request
from getpaid.orders.mail import compose
from getpaid.orders.mail.states import STATE_MAILS
from getpaid.orders.mail.text import html_to_text
from plone import api
from plone.base.interfaces import IPloneSiteRoot
from zope.component import getGlobalSiteManager
from zope.component import queryMultiAdapter
from zope.configuration import xmlconfig
from zope.interface import alsoProvides
from zope.interface import Interface
from zope.publisher.browser import TestRequest as BrowserRequest

import pytest
import requests


MAILS = ("confirmation", "new-order", "owner-link", "note", "attention", "claim")


class IOurShopLayer(IGetpaidOrdersLayer):
    """An integrator's browser layer."""


OUR_MAIL = """\
<html xmlns:tal="http://xml.zope.org/namespaces/tal">
  <body>
    <p>Our own words on
      <span tal:replace="view/total"></span>, dear
      <span tal:replace="view/customer"></span>!</p>
    <p tal:condition="view/for_shop">(The shop's copy.)</p>
  </body>
</html>
"""


@pytest.fixture
def sent(portal, monkeypatch):
    """What the mails would send with the commit: (message, recipient)."""
    api.portal.set_registry_record("plone.email_from_address", "shop@example.org")
    api.portal.set_registry_record("getpaid.orders.shop_email", "orders@example.org")
    messages = []
    monkeypatch.setattr(
        compose,
        "send_on_commit",
        lambda pairs, sender, what: messages.extend(pairs),
    )
    return messages


OVERRIDE = """\
<configure xmlns:browser="http://namespaces.zope.org/browser">
  <browser:page
      name="getpaid-mail-{name}"
      for="plone.base.interfaces.IPloneSiteRoot"
      class="getpaid.orders.browser.mails.{view}"
      template="{template}"
      permission="zope.Public"
      layer="{layer}"
      />
</configure>
"""


@pytest.fixture
def override(integration, tmp_path):
    """Our own template for mail ``name``, for our layer, as an integrator
    registers it (docs/events.rst)."""
    template = tmp_path / "our_mail.pt"
    template.write_text(OUR_MAIL, encoding="utf-8")
    layer = f"{IOurShopLayer.__module__}.IOurShopLayer"
    names = []

    def register(name, view):
        zcml = OVERRIDE.format(name=name, view=view, template=template, layer=layer)
        xmlconfig.string(zcml, context=integration["configurationContext"])
        names.append(f"getpaid-mail-{name}")

    yield register
    gsm = getGlobalSiteManager()
    required = (IPloneSiteRoot, IOurShopLayer)
    for name in names:
        factory = gsm.adapters.lookup(required, Interface, name)
        gsm.unregisterAdapter(factory, required, Interface, name)


@pytest.fixture
def order(make_product, customer):
    return shop.place_order([(make_product("mug", "12.50"), 2)], customer)


def texts(message) -> tuple[str, str]:
    plain = message.get_body(("plain",)).get_content()
    return plain, message.get_body(("html",)).get_content()


@pytest.mark.parametrize("name", [*MAILS, *STATE_MAILS])
def test_each_mail_is_a_view_on_the_shops_layer(portal, name):
    ours = BrowserRequest()
    alsoProvides(ours, IGetpaidOrdersLayer)
    view = queryMultiAdapter((portal, ours), name=f"getpaid-mail-{name}")
    assert isinstance(view, MailView)
    # Where the shop isn't installed (no layer), there is no such mail.
    elsewhere = BrowserRequest()
    assert queryMultiAdapter((portal, elsewhere), name=f"getpaid-mail-{name}") is None


def test_an_integrator_overrides_the_confirmation_for_their_layer(
    make_product, customer, sent, override
):
    override("confirmation", "ConfirmationMail")
    alsoProvides(current_request(), IOurShopLayer)
    shop.checkout([(make_product("mug", "12.50"), 2)], customer)
    (confirmation, to), (new_order, to_shop) = sent
    assert (to, to_shop) == ("ada@example.org", "orders@example.org")
    text, html = texts(confirmation)
    assert "Our own words on €25.00, dear Ada Lovelace!" in text
    assert "€25.00" in html and "thank you for your order" not in html
    assert confirmation["Subject"].startswith("Your order ")
    # The shop's New order mail is another template: still the shop's own.
    assert "New order" in texts(new_order)[0]


def test_an_integrator_overrides_a_state_mail_and_its_copy(order, sent, override):
    override("paid", "StateMail")
    alsoProvides(current_request(), IOurShopLayer)
    shop.mark_paid(order)
    (to_customer, _), (to_shop, _) = sent
    assert "Our own words on €25.00" in texts(to_customer)[0]
    assert "(The shop's copy.)" in texts(to_shop)[0]
    assert "(The shop's copy.)" not in texts(to_customer)[0]


def test_a_cron_jobs_mail_uses_an_installed_layers_mail(app, order, sent, override):
    """The sweeper's request was never published (getpaid-sweep makes one):
    the site's browser layers are applied to it as a publication would."""
    from Acquisition import aq_base
    from plone.browserlayer.utils import register_layer
    from plone.browserlayer.utils import unregister_layer
    from Testing.makerequest import makerequest
    from zope.globalrequest import getRequest
    from zope.globalrequest import setRequest

    override("paid", "StateMail")
    register_layer(IOurShopLayer, "our.shop")
    published = getRequest()
    setRequest(makerequest(aq_base(app)).REQUEST)
    try:
        assert not IGetpaidOrdersLayer.providedBy(current_request())
        shop.mark_paid(order)
    finally:
        setRequest(published)
        unregister_layer("our.shop")
    assert "Our own words on €25.00" in texts(sent[0][0])[0]


def test_an_integrator_overrides_the_note_mail_and_internal_notes_stay(
    order, sent, override
):
    override("note", "NoteMail")
    alsoProvides(current_request(), IOurShopLayer)
    shop.add_note(order, "Between us", for_customer=False)
    assert sent == []  # an internal note is never mailed
    shop.add_note(order, "Ships Monday", for_customer=True)
    ((mail, to),) = sent
    assert to == "ada@example.org"
    assert "Our own words on €25.00, dear Ada Lovelace!" in texts(mail)[0]


def test_without_the_layer_the_shops_own_mail_is_sent(order, sent, override):
    override("paid", "StateMail")
    shop.mark_paid(order)
    text, _html = texts(sent[0][0])
    assert "we received your payment" in text and "Our own words" not in text


def test_a_link_mail_speaks_the_customers_language(order, sent):
    """Ordered in German on an English shop: the link staff send is German."""
    order.customer_language = "de"
    shop.send_payment_link(order)
    ((mail, _),) = sent
    assert mail["Subject"].startswith(f"Der Link zu Ihrer Bestellung {order.number}")
    text = texts(mail)[0]
    assert "Hier ist der Link, um Ihre Bestellung zu bezahlen." in text
    assert f"Ihre Bestellung {order.number}: http" in text


@pytest.mark.parametrize("name", MAILS)
def test_mail_views_show_nothing_when_published(shop_site, name):
    url = f"{shop_site.absolute_url()}/@@getpaid-mail-{name}"
    assert requests.get(url, timeout=30).status_code == 404


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<p>One</p>\n<p>Two</p>", "One\n\nTwo\n"),
        ("<p>a<br>b</p>", "a\nb\n"),
        (
            "<table><tr><td>2 × Mug</td><td>€25.00</td></tr>"
            "<tr><th>Total</th><th>€25.00</th></tr></table><p>Next</p>",
            "  2 × Mug  €25.00\n  Total  €25.00\n\nNext\n",
        ),
        (
            "<div><strong>Said:</strong>\n<blockquote>one<br>  two</blockquote></div>",
            "Said:\n  one\n  two\n",
        ),
        ('<p><a href="https://x.org/a">Open it</a></p>', "Open it: https://x.org/a\n"),
        ('<p><a href="https://x.org/a">https://x.org/a</a></p>', "https://x.org/a\n"),
        ("<p>12,50\xa0€</p>", "12,50\xa0€\n"),  # no break there, in text too
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two\n"),
        ("<p>&lt;b&gt; &amp;</p><script>x()</script>", "<b> &\n"),
    ],
    ids=[
        "paragraphs",
        "line break",
        "table",
        "quotation",
        "link",
        "bare link",
        "no-break space",
        "list",
        "entities",
    ],
)
def test_the_text_part_follows_the_html(markup, text):
    assert html_to_text(markup) == text
