"""The distributions as an integrator gets them: built once per test run."""

from pathlib import Path

import os
import pytest
import subprocess
import sys


CHECKOUT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """The sdist and the wheel built from it (uv build's default), from the
    package cache only: `make install` has already fetched the pinned build
    requirements of pyproject.toml."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [BIN / "uv", "build", "--offline", "--quiet", "--out-dir", out, CHECKOUT],
        check=True,
        env=without_compiling(),
    )
    return out


def without_compiling() -> dict:
    """The environment without tests/conftest.py's compile flag: what ships
    must be translated without Zope compiling anything."""
    return {k: v for k, v in os.environ.items() if k != "zope_i18n_compile_mo_files"}


def only(folder: Path, pattern: str) -> Path:
    (found,) = folder.glob(pattern)
    return found
