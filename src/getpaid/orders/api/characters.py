"""Which characters text typed for an order may hold: one rule for names,
addresses, comments, messages and share labels, whichever way they come in
(checkout form, REST, the editor, staff PATCH).

Refused, by Unicode category:

- ``Cc`` control characters (a NUL, an escape; line breaks and tabs only in
  text of several lines), and ``Zl``/``Zp`` line and paragraph separators,
  which a mail header refuses like a line break;
- ``Cs`` lone surrogates: they have no UTF-8, so the mail, CSV or link that
  carries them fails later (Zope hands bytes that aren't UTF-8 on as these);
- ``Co`` private-use characters, which mean nothing outside one font;
- ``Cf`` format characters, which print nothing: a bidi override (U+202E)
  shows text backwards, so one name can pass for another. Except the
  zero-width non-joiner and joiner, which Persian and Indic names need.
"""

import unicodedata


REFUSED = frozenset({"Cc", "Cs", "Co", "Cf", "Zl", "Zp"})
JOINERS = frozenset("\u200c\u200d")
LINE_BREAKS = frozenset("\r\n\t")


def refused_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character of ``text`` typed text may not hold, or None.

    ``multiline``: text of several lines (a comment) may hold line breaks
    and tabs.
    """
    for char in text:
        if char in JOINERS or (multiline and char in LINE_BREAKS):
            continue
        if unicodedata.category(char) in REFUSED:
            return char
    return None
