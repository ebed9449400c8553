"""Sphinx configuration: `make docs` builds docs/_build/html, warnings fail."""

from pathlib import Path

import sys


sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "getpaid.orders"
author = "The getpaid.orders team"
copyright = "2026, the getpaid.orders team"

extensions = [
    "sphinx.ext.graphviz",
    "shop_docs",  # docs/_ext: the workflow diagram and the settings table
]
graphviz_output_format = "svg"
exclude_patterns = ["_build", "rest/*.http"]
html_theme = "alabaster"
html_static_path = ["_static"]
html_theme_options = {"description": "Orders before payment, for Plone 6.2"}
