"""Where a form may send the visitor back to: only within the site."""

from plone import api


def within_site(url: str, default: str) -> str:
    """``url`` if it leads into this site, else ``default`` (no open redirect)."""
    portal_url = api.portal.get_tool("portal_url")
    return url if url and portal_url.isURLInPortal(url) else default
