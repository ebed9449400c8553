"""Vocabularies of ISO codes: currencies (4217) and countries (3166-1)."""

from functools import lru_cache
from getpaid.orders.language import current_language
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

import gettext
import pycountry
import unicodedata


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


@lru_cache(maxsize=32)
def _countries(language: str) -> SimpleVocabulary:
    """Country names in ``language`` (pycountry's translations of ISO 3166),
    in the order a reader of it looks them up ("Österreich" among the O's)."""
    names = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    terms = [
        SimpleTerm(c.alpha_2, title=names.gettext(c.name)) for c in pycountry.countries
    ]
    return SimpleVocabulary(sorted(terms, key=lambda term: _sort_key(term.title)))


def _sort_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@provider(IVocabularyFactory)
def currencies(context=None) -> SimpleVocabulary:
    return _currencies()


@provider(IVocabularyFactory)
def countries(context=None, language: str = "") -> SimpleVocabulary:
    """Codes, with their names in ``language`` or the visitor's."""
    language = (language or current_language()).replace("-", "_")
    return _countries(language)
