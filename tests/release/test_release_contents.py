"""What the built distributions hold, and the release checks a Plone
maintainer runs: check-manifest, twine check, towncrier."""

from babel.messages.pofile import read_po
from conftest import BIN
from conftest import CHECKOUT
from conftest import only
from io import BytesIO
from pathlib import Path

import gettext
import pytest
import re
import subprocess
import tarfile
import tomllib
import zipfile


PACKAGE = CHECKOUT / "src" / "getpaid" / "orders"


def shipped_files() -> list[Path]:
    """Everything of the package Plone needs, as the working copy has it."""
    return [
        path.relative_to(CHECKOUT / "src")
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix not in (".pyc", ".mo")
    ]


def test_the_wheel_ships_every_file_of_the_package(dist):
    wheel = set(zipfile.ZipFile(only(dist, "*.whl")).namelist())
    files = shipped_files()
    missing = [str(path) for path in files if path.as_posix() not in wheel]
    assert not missing
    kinds = {path.suffix for path in files}
    assert {".zcml", ".pt", ".xml", ".po", ".py"} <= kinds  # what Plone loads


@pytest.mark.parametrize("language", ["de", "it", "pl"])
@pytest.mark.parametrize("domain", ["getpaid.orders", "plone"])
def test_the_wheel_holds_compiled_catalogs(dist, language, domain):
    """Each .po ships compiled, with every translation it has, so a site
    is translated without zope_i18n_compile_mo_files."""
    messages = f"getpaid/orders/locales/{language}/LC_MESSAGES/{domain}"
    with zipfile.ZipFile(only(dist, "*.whl")) as wheel:
        compiled = gettext.GNUTranslations(BytesIO(wheel.read(f"{messages}.mo")))
        catalog = read_po(BytesIO(wheel.read(f"{messages}.po")))
    translated = {
        message.id: message.string
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }
    assert translated
    assert {id: compiled.gettext(id) for id in translated} == translated


def test_the_sdist_holds_what_the_wheel_is_built_from(dist):
    with tarfile.open(only(dist, "*.tar.gz")) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {
        "setup.py",
        "pyproject.toml",
        "MANIFEST.in",
        "README.rst",
        "CHANGES.rst",
    } <= (names)
    assert "src/getpaid/orders/configure.zcml" in names
    assert "src/getpaid/orders/locales/de/LC_MESSAGES/getpaid.orders.mo" in names


def test_the_manifest_matches_the_repository():
    """check-manifest: the sdist holds every file git tracks, and no other."""
    if not (CHECKOUT / ".git").exists():
        pytest.skip("not a git checkout")
    result = subprocess.run(
        [BIN / "check-manifest", "--no-build-isolation", CHECKOUT],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_metadata_renders_on_pypi(dist):
    """twine check: the long description (README + CHANGES) renders."""
    result = subprocess.run(
        [BIN / "twine", "check", "--strict", *sorted(dist.glob("getpaid*"))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_changelog_builds_with_every_news_fragment():
    """towncrier build --draft: no two fragments collide, none is dropped."""
    result = subprocess.run(
        [BIN / "towncrier", "build", "--draft", "--version", "1.0.0a1"],
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr

    def words(text: str) -> str:
        return " ".join(text.split())

    changelog = words(result.stdout)
    dropped = [
        fragment.name
        for fragment in sorted((CHECKOUT / "news").iterdir())
        if fragment.name != ".gitignore"
        and words(fragment.read_text(encoding="utf-8")) not in changelog
    ]
    assert not dropped


def test_isolated_builds_use_the_pinned_build_tools():
    pyproject = tomllib.loads((CHECKOUT / "pyproject.toml").read_text())
    pins = dict(
        re.findall(
            r"^([A-Za-z0-9_.-]+)==(\S+)$",
            (CHECKOUT / "constraints.txt").read_text(),
            re.M,
        )
    )
    requires = pyproject["build-system"]["requires"]
    assert requires
    for requirement in requires:
        name, version = requirement.split("==")
        assert pins[name.lower()] == version, requirement
