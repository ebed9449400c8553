"""Vocabularies of ISO codes: currencies (4217) and countries (3166-1)."""

from functools import lru_cache
from getpaid.orders.language import current_language
from getpaid.orders.text import fold
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

import gettext
import pycountry


@lru_cache(maxsize=1)
def _currencies() -> SimpleVocabulary:
    terms = sorted(
        (
            SimpleTerm(c.alpha_3, title=f"{c.alpha_3} – {c.name}")
            for c in pycountry.currencies
        ),
        key=lambda term: term.value,
    )
    return SimpleVocabulary(terms)


# Plone's codes whose translations pycountry files under another name.
GETTEXT_LANGUAGES = {"no": "nb"}


@lru_cache(maxsize=32)
def _countries(language: str) -> SimpleVocabulary:
    """Country names in ``language`` (pycountry's translations of ISO 3166;
    de_AT falls back to de, unknown languages to English), sorted
    alphabetically without regard to accents ("Österreich" among the O's)."""
    base = language.split("_")[0]
    names = gettext.translation(
        "iso3166-1",
        pycountry.LOCALES_DIR,
        languages=[language, base, GETTEXT_LANGUAGES.get(base, base)],
        fallback=True,
    )
    terms = [
        SimpleTerm(c.alpha_2, title=names.gettext(c.name)) for c in pycountry.countries
    ]
    return SimpleVocabulary(sorted(terms, key=lambda term: fold(term.title)))


@provider(IVocabularyFactory)
def currencies(context=None) -> SimpleVocabulary:
    return _currencies()


@provider(IVocabularyFactory)
def countries(context=None, language: str = "") -> SimpleVocabulary:
    """Codes, with their names in ``language`` or the visitor's."""
    language = (language or current_language()).replace("-", "_")
    return _countries(language)
