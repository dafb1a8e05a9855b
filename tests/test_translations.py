"""Catalogues: fresh against the sources, and complete in Spanish and Portuguese."""

from __future__ import annotations

import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT

TRANSLATIONS = ROOT / "translations"


def _ids(catalog) -> set:
    return {
        message.id if isinstance(message.id, str) else tuple(message.id) for message in catalog if message.id
    }


def test_template_is_fresh_against_the_sources(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "N_",
            "--no-wrap",
            "--omit-header",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as new, (TRANSLATIONS / "messages.pot").open("rb") as committed:
        missing = _ids(read_po(new)) - _ids(read_po(committed))
    assert not missing, f"run `make update-translations`; new messages: {sorted(map(str, missing))[:10]}"


@pytest.mark.parametrize("language", ["es", "pt_BR"])
def test_catalogue_translates_every_message(language):
    with (TRANSLATIONS / "messages.pot").open("rb") as template:
        wanted = _ids(read_po(template))
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    untranslated = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated and not fuzzy, f"{language}: untranslated {untranslated[:5]}, fuzzy {fuzzy[:5]}"
    assert wanted <= _ids(catalog), f"{language} lacks {sorted(map(str, wanted - _ids(catalog)))[:5]}"
