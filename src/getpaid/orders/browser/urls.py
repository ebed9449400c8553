"""Where a form may send the visitor back to: only within the site."""

from plone import api


def within_site(url: str, default: str) -> str:
    """``url`` if it leads into this site, else ``default`` (no open redirect).

    Not a URL with characters no Location header can carry (bytes that
    weren't UTF-8 reach us as lone surrogates; control characters).
    """
    portal_url = api.portal.get_tool("portal_url")
    fit = url and url.isprintable() and portal_url.isURLInPortal(url)
    return url if fit else default
