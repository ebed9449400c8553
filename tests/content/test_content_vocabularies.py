"""The ISO vocabularies: countries named in the reader's language."""

from getpaid.orders.vocabularies.iso import countries
from getpaid.orders.vocabularies.iso import currencies


def titles(language: str) -> list[str]:
    return [term.title for term in countries(language=language)]


def test_countries_are_named_and_sorted_for_their_reader():
    german = titles("de")
    assert countries(language="de").by_value["AT"].title == "Österreich"
    # Among the O's, not after Z as a plain sort of the letters would have it.
    assert german.index("Oman") < german.index("Österreich") < german.index("Pakistan")
    assert countries(language="pl").by_value["DE"].title == "Niemcy"
    polish = titles("pl")
    assert polish.index("Litwa") < polish.index("Łotwa") < polish.index("Luksemburg")
    # Brazil's Portuguese, not Portugal's; Norwegian under pycountry's name.
    assert countries(language="pt-br").by_value["AM"].title == "Armênia"
    assert countries(language="no").by_value["DE"].title == "Tyskland"
    assert countries(language="de-at").by_value["AT"].title == "Österreich"


def test_an_unknown_language_reads_english_and_codes_are_the_same():
    assert countries(language="xx").by_value["DE"].title == "Germany"
    assert set(countries(language="de").by_value) == set(
        countries(language="en").by_value
    )
    assert "GB" in countries(language="en") and "EUR" in currencies()


def test_without_a_language_the_visitors_is_used(portal):
    portal.REQUEST["LANGUAGE"] = "it"
    assert countries().by_value["DE"].title == "Germania"
