"""Headers for answers that carry someone's order: kept out of caches."""

# An order's page for its buyer or staff, the back office's pages and CSV:
# no copy in a shared cache, nor on the disk of the computer it was seen on.
NO_STORE = {"Cache-Control": "private, no-store"}

# On every answer about a token-opened order, also: no leaking the token to
# other sites, no search engine listing.
PRIVACY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    **NO_STORE,
    "X-Robots-Tag": "noindex, nofollow",
}


def set_privacy_headers(response, headers: dict = PRIVACY_HEADERS) -> None:
    for name, value in headers.items():
        response.setHeader(name, value)


def set_no_store(response) -> None:
    """For pages under normal security: their URLs hold no secret to keep
    from other sites (and the bulk steps go back by the Referer)."""
    set_privacy_headers(response, NO_STORE)
