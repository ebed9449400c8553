"""What the browser journeys share: where chromium and the artefacts are,
screenshots, the accessibility audit, logging in, links out of mails."""

from axe_playwright_python.sync_playwright import Axe
from pathlib import Path

import os
import re
import shutil
import time


ROOT = Path(__file__).parents[2]
CHROMIUM = os.environ.get("GETPAID_CHROMIUM") or shutil.which("chromium")
ARTIFACTS = Path(os.environ.get("GETPAID_ARTIFACTS", ROOT / "test-artifacts" / "e2e"))
# GETPAID_WRITE_DOCS=1 also refreshes the screenshots the docs show.
DOCS_SCREENSHOTS = ROOT / "docs" / "_static" / "screenshots"

AXE = Axe()
# WCAG 2.1 A and AA rules, as axe-core names them.
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}}


def screenshot(page, name: str) -> Path:
    """Save the whole page as test-artifacts/e2e/<name>.png (and for the docs)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    if os.environ.get("GETPAID_WRITE_DOCS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / path.name)
    return path


def accessibility_violations(page, selector: str = "#content") -> list[str]:
    """axe-core's WCAG A/AA violations in our part of the page, one line each.

    The audit covers what getpaid.orders renders (Plone's content area); the
    theme around it is Plone's own.
    """
    results = AXE.run(page, context=selector, options=WCAG)
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at "
        + ", ".join(" ".join(node["target"]) for node in rule["nodes"])
        for rule in results.response["violations"]
    ]


def log_in(page, portal_url: str, user: str, password: str) -> None:
    page.goto(f"{portal_url}/login")
    page.fill("#__ac_name", user)
    page.fill("#__ac_password", password)
    page.click("#login-form button[type=submit], #login-form input[type=submit]")
    page.wait_for_selector("#personaltools-logout", state="attached")


def plain_text(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message, marker: str) -> str:
    """The first URL in a mail's plain text that contains ``marker``."""
    match = re.search(rf"(https?://\S*{re.escape(marker)}\S*)", plain_text(message))
    assert match, f"no {marker} link in:\n{plain_text(message)}"
    return match.group(1)


def mails_to(inbox, address: str, count: int = 1, timeout: float = 10) -> list:
    """Wait for ``count`` mails to ``address`` (sent after commit, from another
    thread); the messages."""
    deadline = time.monotonic() + timeout
    while True:
        received = [m for _, to, m in list(inbox.received) if address in to]
        if len(received) >= count or time.monotonic() > deadline:
            return received
        time.sleep(0.05)
