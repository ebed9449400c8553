#!/bin/sh
# Rebuild the message catalogs from the code (`make i18n`).
#   getpaid.orders.pot  every string of the add-on, workflow titles included
# then bring every language's .po in line with it. Translate the new entries:
# tests/i18n fails until none is missing or fuzzy.
# Plone's own screens (toolbar, folder contents) translate workflow and type
# titles in its "plone" domain: each language's plone.po is written from the
# profiles' entries of getpaid.orders.po, so they are translated once.
set -eu
cd "$(dirname "$0")/.."
I18NDUDE=.venv/bin/i18ndude
PACKAGE=src/getpaid/orders
LOCALES=$PACKAGE/locales

$I18NDUDE rebuild-pot --pot $LOCALES/getpaid.orders.pot --create getpaid.orders $PACKAGE
for language in de it pl; do
    folder=$LOCALES/$language/LC_MESSAGES
    mkdir -p "$folder"
    [ -f "$folder/getpaid.orders.po" ] || touch "$folder/getpaid.orders.po"
    $I18NDUDE sync --pot $LOCALES/getpaid.orders.pot "$folder/getpaid.orders.po"
    .venv/bin/python scripts/plone_domain.py "$folder"
done
