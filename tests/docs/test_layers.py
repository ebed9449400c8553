"""The layers of docs/architecture.rst: the domain, REST and mails never
depend on the Classic UI pages."""

from pathlib import Path

import pytest


PACKAGE = Path(__file__).parents[2] / "src" / "getpaid" / "orders"


@pytest.mark.parametrize(
    "layer", ["api", "services", "mail", "presentation", "infrastructure", "payments"]
)
def test_no_layer_below_the_pages_imports_them(layer):
    importing = [
        str(module.relative_to(PACKAGE))
        for module in (PACKAGE / layer).rglob("*.py")
        if "getpaid.orders.browser" in module.read_text(encoding="utf-8")
    ]
    assert importing == []
