"""Packaging for getpaid.orders."""

from pathlib import Path
from setuptools import find_namespace_packages
from setuptools import setup


long_description = "\n\n".join(
    Path(name).read_text(encoding="utf-8") for name in ("README.rst", "CHANGES.rst")
)

setup(
    name="getpaid.orders",
    version="1.0.0a1.dev0",
    description="Orders before payment for Plone: cart, checkout, PayPal, secret links.",
    long_description=long_description,
    long_description_content_type="text/x-rst",
    classifiers=[
        "Development Status :: 3 - Alpha",
        "Environment :: Web Environment",
        "Framework :: Plone",
        "Framework :: Plone :: 6.2",
        "Framework :: Plone :: Addon",
        "License :: OSI Approved :: GNU General Public License v2 (GPLv2)",
        "Programming Language :: Python :: 3.11",
    ],
    keywords="Plone shop orders PayPal",
    license="GPL-2.0-only",
    packages=find_namespace_packages("src", include=["getpaid.*"]),
    package_dir={"": "src"},
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.11",
    install_requires=[
        "Babel",
        "collective.monkeypatcher",  # services/body.py: until plone.restapi fixes it
        "plone.api",
        "plone.app.dexterity",
        "plone.app.registry",
        "plone.app.z3cform",
        "plone.behavior",
        "plone.classicui",  # our pages are Classic UI (z3c.form, plone.app.layout)
        "plone.dexterity",
        "plone.indexer",
        "plone.namedfile",
        "plone.restapi",
        "plone.scale",
        "plone.supermodel",
        "Products.CMFPlone",
        "Products.DCWorkflow",
        "Products.GenericSetup",
        "pycountry",
        "requests",
        "z3c.form",
        "zope.interface",
        "zope.schema",
    ],
    extras_require={
        "test": [
            "aiosmtpd",  # a real SMTP server on loopback for mail tests
            "axe-playwright-python",  # axe-core accessibility audits in the browser
            "hypothesis",
            "plone.app.testing",
            "playwright",  # drives Debian's chromium; never downloads a browser
            "plone.restapi[test]",
            "pytest",
            "pytest-cov",
            "pytest-plone",
            "time-machine",
            "getpaid.orders[relstorage]",
        ],
        # Several Zope instances on one PostgreSQL database (docs/scale-out.rst).
        "relstorage": [
            "psycopg2-binary",
            "RelStorage",
        ],
        "dev": [
            "i18ndude",  # make i18n
            "ruff",
            "sphinx",  # make docs
            "towncrier",
            "zc.buildout",
            "plone.recipe.zope2instance",
            "zpretty",
        ],
    },
    entry_points={
        "z3c.autoinclude.plugin": ["target = plone"],
        "console_scripts": ["getpaid-sweep = getpaid.orders.sweep:main"],
        "paste.filter_app_factory": [
            "database_unavailable = getpaid.orders.wsgi:filter_app_factory"
        ],
    },
)
