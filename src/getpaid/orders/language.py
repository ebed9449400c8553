"""The language a page or mail is for: the visitor's, or the site's."""


def current_language() -> str:
    """Plone's negotiated language; the site's without a request (a script,
    the sweeper); English if neither says."""
    from plone import api  # here: money and vocabularies import this early

    try:
        return api.portal.get_current_language() or "en"
    except AttributeError:  # no request
        return api.portal.get_default_language() or "en"
