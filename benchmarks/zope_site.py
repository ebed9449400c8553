"""A throwaway Zope + Plone site on a FileStorage, for the benchmarks."""

from decimal import Decimal
from pathlib import Path

import transaction


ZOPE_CONF = """\
%define INSTANCE {home}
instancehome $INSTANCE
<zodb_db main>
  <filestorage>
    path $INSTANCE/Data.fs
    blob-dir $INSTANCE/blobs
  </filestorage>
  mount-point /
</zodb_db>
"""


# A member who may add and edit pages: the REST client of the baseline.
EDITOR = ("editor", "editor-password-1")


def start_zope(home: Path):
    """(app, WSGI app) on the FileStorage in ``home`` (made if missing);
    "bench" is a Manager, logged in."""
    from AccessControl.SecurityManagement import newSecurityManager
    from Testing.makerequest import makerequest
    from zope.globalrequest import setRequest
    from Zope2.Startup.run import make_wsgi_app

    import Zope2

    conf = home / "zope.conf"
    conf.write_text(ZOPE_CONF.format(home=home))
    wsgi = make_wsgi_app({}, str(conf))
    app = makerequest(Zope2.app())
    setRequest(app.REQUEST)
    if app.acl_users.getUserById("bench") is None:  # a database kept from before
        app.acl_users._doAddUser("bench", "bench", ["Manager"], [])
    user = app.acl_users.getUserById("bench")
    newSecurityManager(None, user.__of__(app.acl_users))
    return app, wsgi


def product_photo(n: int):
    """A 1200x900 JPEG with a gradient, as a shop's product photo would be:
    the snapshot of every order line scales it (getpaid.orders.api.snapshots).
    """
    from io import BytesIO
    from PIL import Image
    from plone.namedfile.file import NamedBlobImage

    photo = Image.linear_gradient("L").resize((1200, 900)).convert("RGB")
    data = BytesIO()
    photo.rotate(30 * n).save(data, "JPEG", quality=85)
    return NamedBlobImage(data=data.getvalue(), filename=f"product-{n}.jpg")


def make_site(app):
    from plone import api
    from plone.base.utils import get_installer
    from plone.distribution.api import site as site_api
    from zope.component.hooks import setSite

    site = site_api.create(app, "classic", {"site_id": "Plone", "title": "Bench"})
    setSite(site)
    get_installer(site).install_product("getpaid.orders")
    products = [
        api.content.create(
            container=site,
            type="Product",
            id=f"product-{n}",
            title=f"Product {n}",
            price=Decimal(price),
            currency="EUR",
            image=product_photo(n),
        )
        for n, price in enumerate(("12.50", "240.00"))
    ]
    for product in products:  # customers buy what they can see
        api.content.transition(product, to_state="published")
    folder = api.content.create(container=site, type="Folder", id="pages")
    api.user.create(
        username=EDITOR[0],
        password=EDITOR[1],
        email="editor@example.org",
        roles=["Member", "Contributor", "Editor"],
    )
    transaction.commit()
    return site, products, folder


def customer(n: int | None = None):
    """Ada; or with ``n``, the n-th of as many different customers."""
    from getpaid.orders.api import Address
    from getpaid.orders.api import Customer

    return Customer(
        first_name="Ada",
        last_name="Lovelace" if n is None else f"Lovelace-{n}",
        email="ada@example.org" if n is None else f"customer-{n}@example.org",
        billing=Address(
            street="12 St James's Square",
            postal_code="SW1Y 4JH",
            city="London",
            country="GB",
        ),
    )


def print_timings(ours: str, baseline: str, ours_s: list, baseline_s: list) -> None:
    """Median and p90 of two interleaved series (seconds), in ms, and ratios."""
    from statistics import median
    from statistics import quantiles

    print(f"{'':22}{ours:>10}{baseline:>10}{'ratio':>8}")
    for label, pick in (
        ("median ms", median),
        ("p90 ms", lambda values: quantiles(values, n=10)[-1]),
    ):
        a, b = pick(ours_s) * 1000, pick(baseline_s) * 1000
        print(f"{label:22}{a:10.1f}{b:10.1f}{a / b:8.2f}")
