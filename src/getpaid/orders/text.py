"""Text as people search and sort it: without case or accents."""

import unicodedata


# Letters that Unicode does not take apart into a base letter and an accent.
LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"}
)


def fold(text: str) -> str:
    """Lower case without accents: Müller, Łukasiewicz → muller, lukasiewicz."""
    text = unicodedata.normalize("NFKD", text.lower().translate(LETTERS))
    return "".join(char for char in text if not unicodedata.combining(char))
