"""Real-browser fixtures: Debian's chromium, driven by Playwright, against the
functional test site served over HTTP (with the PayPal simulator and an SMTP
server on loopback beside it).

Playwright never downloads a browser here: it launches the chromium binary
that `make system` installs from Debian. A failing test leaves a screenshot
of every page it had open in test-artifacts/e2e/failures/.
"""

from e2e_helpers import ARTIFACTS
from e2e_helpers import CHROMIUM
from pathlib import Path
from playwright.sync_api import sync_playwright

import pytest
import sys
import warnings


# PayPal Checkout's journeys pay the shop of tests/paypal_checkout
# (flow_fixtures.checkout_shop: the REST simulator, the shop's app set up).
sys.path.insert(0, str(Path(__file__).parents[1] / "paypal_checkout"))
from flow_fixtures import checkout_shop_fixture  # noqa: E402, F401


# Flags for a closed network and a root user (see the machine notes in
# DEVELOPERS.md): no background calls home, no sandbox, no GPU.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.getpaid_failed = report.failed
    return report


@pytest.fixture(scope="session")
def chromium():
    if CHROMIUM is None:
        message = "chromium is not installed: run `make system` (Debian's chromium)"
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def paying_shop(shop_site, simulator):
    """The test shop, paying through the PayPal simulator."""
    return shop_site


@pytest.fixture
def new_page(chromium, request):
    """new_page() opens a page in a fresh browser context (its own cookies)."""
    contexts = []

    def make(**options):
        context = chromium.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", **options
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "getpaid_failed", False)
    for number, context in enumerate(contexts):
        if failed:
            folder = ARTIFACTS / "failures"
            folder.mkdir(parents=True, exist_ok=True)
            for index, page in enumerate(context.pages):
                name = f"{request.node.name}-{number}-{index}.png"
                page.screenshot(path=folder / name, full_page=True)
        context.close()
