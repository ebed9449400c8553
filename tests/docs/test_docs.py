"""The Sphinx docs build without a warning, and what they draw from the code
says what the code says."""

from pathlib import Path

import pytest
import shutil
import subprocess
import sys


DOCS = Path(__file__).parents[2] / "docs"
sys.path.insert(0, str(DOCS / "_ext"))
import shop_docs  # noqa: E402


def test_the_workflow_is_read_as_defined():
    states, transitions, initial = shop_docs.read_workflow()
    assert initial == "created"
    assert set(states) == {
        "created",
        "paid",
        "payment_failed",
        "canceled",
        "timeout",
        "delivered",
        "completed",
        "expired",
        "refunded",
    }
    assert transitions["pay"]["new_state"] == "paid"
    assert "pay" in states["created"]["exits"]
    assert states["refunded"]["exits"] == []
    assert "getpaid.orders: Cancel order" in transitions["cancel"]["guard"]
    dot = shop_docs.dot_source(states, transitions, initial)
    assert 'created -> paid [label="Mark paid"]' in dot


@pytest.mark.skipif(not shutil.which("dot"), reason="graphviz: run `make system`")
def test_the_docs_build_without_warnings(tmp_path):
    build = subprocess.run(
        [Path(sys.executable).parent / "sphinx-build", "-W", "--keep-going"]
        + ["-q", "-b", "html", DOCS, tmp_path],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    lifecycle = (tmp_path / "lifecycle.html").read_text()
    (svg,) = (tmp_path / "_images").glob("graphviz-*.svg")
    drawn = svg.read_text()
    for title in ("Created", "Payment failed", "Refunded", "Mark paid"):
        assert title in drawn
    assert "Timeout (timeout)" in lifecycle  # the states table
    settings = (tmp_path / "settings.html").read_text()
    assert "paypal_receiver_email" in settings  # made from the schema
    tour = (tmp_path / "tour.html").read_text()
    for name in ("cart", "checkout-errors", "listing", "editor", "share-link"):
        assert f"_images/{name}.png" in tour
        assert (tmp_path / "_images" / f"{name}.png").stat().st_size > 10_000
