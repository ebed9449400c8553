"""The shop window in a real browser: pick a product from a folder shown as
a shop, and stay there to pick the next."""

from e2e_helpers import accessibility_violations
from e2e_helpers import screenshot
from playwright.sync_api import expect


def test_buying_from_the_shop_window(shop_folder, new_page):
    shop_url = shop_folder.absolute_url()
    page = new_page()
    page.goto(shop_url)
    cards = page.locator("article.getpaid-shop-item")
    expect(cards).to_have_count(4)
    mug = cards.filter(has_text="Mug")
    expect(mug.locator(".getpaid-price")).to_have_text("€12.50")
    assert mug.locator("img").evaluate("img => img.naturalWidth") > 0
    screenshot(page, "shop")
    assert accessibility_violations(page) == []

    mug.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".portalMessage").first).to_contain_text("Mug is in your cart.")
    assert page.url == shop_url
    cards.filter(has_text="Tee").get_by_role("button", name="Add to cart").click()
    expect(page.locator("body")).to_contain_text("Cart (2)")
