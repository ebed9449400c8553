"""A mail's plain-text part, made from its HTML."""

import html
import re


_INDENT = "\0"  # two spaces in the end: survives the stripping of lines
_BREAK = r"(?i)<br\s*/?>\s*"


def html_to_text(markup: str) -> str:
    """The plain-text part: HTML's whitespace rules, blocks on lines of
    their own, table rows and quotations indented, cells two spaces apart,
    a link's address after its words."""
    text = re.sub(r"(?is)<(script|style).*?</\1>", "", markup)
    text = re.sub(r"[ \t\r\n\f]+", " ", text)  # HTML's whitespace, not &nbsp;
    text = re.sub(r"(?is)<blockquote[^>]*>(.*?)</blockquote>", _quotation, text)
    text = re.sub(r"(?i)<li[^>]*>", "\n- ", text)
    text = re.sub(r"(?i)<tr[^>]*>\s*", "\n" + _INDENT, text)
    text = re.sub(r"(?i)</t[dh]>\s*(?=<t[dh][\s>])", "  ", text)
    text = re.sub(_BREAK, "\n", text)
    text = re.sub(r"(?i)</p>|</ul>|</table>|</h\d>", "\n\n", text)
    text = re.sub(r'(?is)<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', _link, text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [line.strip(" ") for line in text.splitlines()]
    lines = [
        "  " + line.lstrip(_INDENT + " ") if line.startswith(_INDENT) else line
        for line in lines
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _quotation(match) -> str:
    """On the line after what it quotes, each of its lines indented."""
    lines = re.split(_BREAK, match.group(1).strip())
    return "".join(f"\n{_INDENT}{line}" for line in lines) + "\n\n"


def _link(match) -> str:
    address, words = match.group(1), match.group(2).strip()
    return address if words == address else f"{words}: {address}"
