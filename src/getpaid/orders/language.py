"""The language a page or mail is for: the visitor's, or the site's."""


def current_language() -> str:
    """Plone's negotiated language; the site's without a request (a script,
    the sweeper); English if neither says."""
    from plone import api  # here: money and vocabularies import this early

    try:
        return api.portal.get_current_language() or "en"
    except AttributeError:  # no request
        return api.portal.get_default_language() or "en"


def site_language() -> str:
    """The site's language, as our messages are translated to it: a regional
    code falls back to its language (de-at to de) when the catalogs have no
    messages for the region, as request negotiation does."""
    from plone import api
    from zope.component import queryUtility
    from zope.i18n.interfaces import ITranslationDomain

    language = api.portal.get_default_language() or "en"
    domain = queryUtility(ITranslationDomain, "getpaid.orders")
    known = domain.getCatalogsInfo() if domain is not None else {}
    return language if language in known else language.split("-")[0]
