"""The language a page or mail is for: the visitor's, the customer's, or
the site's."""

from contextlib import contextmanager
from zope.component.hooks import getSite
from zope.globalrequest import getRequest


def current_request():
    """The request being served; a cron job's or a test's may be only the site's."""
    return getRequest() or getattr(getSite(), "REQUEST", None)


def current_language() -> str:
    """Plone's negotiated language (or the one a mail speaks: ``speaking``);
    the site's without one; English if neither says."""
    request = current_request()
    language = request.get("LANGUAGE") if request is not None else None
    if language:
        return language
    from plone import api  # here: money and vocabularies import this early

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


def site_languages() -> tuple[str, ...]:
    """The languages the site offers (Site Setup → Language), its default
    first: those a customer's mails may speak."""
    from plone import api

    default = api.portal.get_default_language() or "en"
    offered = api.portal.get_registry_record("plone.available_languages", default=[])
    return (default, *(code for code in offered or () if code != default))


_MISSING = object()


@contextmanager
def speaking(language: str):
    """Translate for ``language`` while in the block, whoever's request this
    is: a mail to a customer speaks the language they ordered in, also when
    PayPal's notification, the sweeper or staff in another language send it.

    Plone translates for the request's language binding (plone.i18n's
    ``LANGUAGE_TOOL``, which also gives ``LANGUAGE``): this binds another
    for the block, with the site's language to fall back on, as Plone's
    own binding has it. Without a language (an order placed before it was
    kept, or by a script), the site's. Without a Zope request, nothing
    changes.
    """
    request = current_request()
    if getattr(request, "other", None) is None:  # no Zope request
        yield
        return
    from plone import api
    from plone.i18n.utility import LanguageBinding

    # As Plone binds it: where the language has no catalog, the site's.
    default = api.portal.get_default_language() or "en"
    language = language or default
    binding = LanguageBinding()
    binding.LANGUAGE = language
    binding.DEFAULT_LANGUAGE = default
    binding.LANGUAGE_LIST = [language, default]
    keys = ("LANGUAGE_TOOL", "LANGUAGE")
    saved = {key: request.other.get(key, _MISSING) for key in keys}
    request.other.update(LANGUAGE_TOOL=binding, LANGUAGE=language)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is _MISSING:
                request.other.pop(key, None)
            else:
                request.other[key] = value
