"""Vocabularies of ISO codes: currencies (4217) and countries (3166-1)."""

from functools import lru_cache
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

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


@lru_cache(maxsize=1)
def _countries() -> SimpleVocabulary:
    terms = sorted(
        (SimpleTerm(c.alpha_2, title=c.name) for c in pycountry.countries),
        key=lambda term: term.title,
    )
    return SimpleVocabulary(terms)


@provider(IVocabularyFactory)
def currencies(context=None) -> SimpleVocabulary:
    return _currencies()


@provider(IVocabularyFactory)
def countries(context=None) -> SimpleVocabulary:
    return _countries()
