"""Packaging for getpaid.orders.

Building compiles the message catalogs (``locales/*/LC_MESSAGES/*.po``) into
the ``.mo`` files Zope reads, with the same compiler Zope uses at start-up
(python-gettext), so an installed package is translated without
``zope_i18n_compile_mo_files`` and on a read-only site-packages. Every build
compiles them: from the checkout, from the sdist, for the sdist itself.
"""

from pathlib import Path
from setuptools import find_namespace_packages
from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist


LOCALES = Path("src", "getpaid", "orders", "locales")


def compile_catalogs(package_root: Path) -> None:
    """Write a .mo beside each .po below ``package_root`` (the copy being built)."""
    from pythongettext.msgfmt import Msgfmt  # a build requirement (pyproject.toml)

    for po in package_root.rglob("*.po"):
        with po.open("rb") as source:
            po.with_suffix(".mo").write_bytes(Msgfmt(source, po.stem).get())


class BuildWithCatalogs(build_py):
    def run(self):
        super().run()
        compile_catalogs(Path(self.build_lib, "getpaid", "orders", "locales"))


class SdistWithCatalogs(sdist):
    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        compile_catalogs(Path(base_dir, LOCALES))


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
        "Operating System :: OS Independent",
        "Programming Language :: Python",
        "Programming Language :: Python :: 3.11",
    ],
    keywords="Plone shop orders PayPal",
    author="getpaid.orders contributors",
    license="GPL-2.0-only",
    packages=find_namespace_packages("src", include=["getpaid.*"]),
    package_dir={"": "src"},
    # What MANIFEST.in puts in the sdist under src/ (templates, ZCML, profiles,
    # locales, images) goes into the wheel too.
    include_package_data=True,
    cmdclass={"build_py": BuildWithCatalogs, "sdist": SdistWithCatalogs},
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
        "stripe",  # payments/stripe: its signature check and API client
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
            # Releasing (DEVELOPERS.md): zest.releaser with its towncrier
            # plug-in, build, twine; check-manifest keeps MANIFEST.in true.
            "build",
            "check-manifest",
            "twine",
            "zest.releaser",
            "zestreleaser.towncrier",
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
            "database_unavailable = getpaid.orders.infrastructure.database_unavailable:filter_app_factory"
        ],
    },
)
