"""The kernel's principle codes are the framework's: every framework file uses exactly these."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consortium.reference import principles

FRAMEWORKS = sorted((Path(__file__).resolve().parents[3] / "safeguards" / "frameworks").glob("*.json"))


@pytest.mark.parametrize("path", FRAMEWORKS, ids=lambda path: path.name)
def test_every_framework_uses_the_kernels_principle_codes(path):
    codes = [item["code"] for item in json.loads(path.read_text(encoding="utf-8"))["principles"]]
    assert tuple(codes) == principles.CODES


def test_there_is_a_framework_to_check():
    assert FRAMEWORKS
