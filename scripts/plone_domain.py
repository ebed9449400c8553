"""Write <folder>/plone.po: the profiles' entries (workflow states and
transitions, type titles) of <folder>/getpaid.orders.po, in the "plone" domain
Plone's own screens translate them in. Run by scripts/i18n.sh."""

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.messages.pofile import write_po
from pathlib import Path

import sys


def from_profiles(message) -> bool:
    return any("/profiles/" in path for path, _line in message.locations)


def main(folder: Path) -> None:
    with (folder / "getpaid.orders.po").open("rb") as source:
        ours = read_po(source)
    plone = Catalog(
        locale=ours.locale,
        domain="plone",
        charset="utf-8",
        project="getpaid.orders",
        fuzzy=False,  # gettext compilers skip a fuzzy header, charset and all
    )
    for message in ours:
        if message.id and from_profiles(message):
            plone.add(message.id, message.string, locations=message.locations)
    with (folder / "plone.po").open("wb") as target:
        write_po(target, plone, width=79, sort_output=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
