"""The bundled license book knows what open models use, under the Hub's own ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.catalog.model import LicenseBook
from validator.catalog.source import load
from validator.markdown.licenses import known_licenses

BOOK = LicenseBook.from_source(load(Path(__file__).parents[2] / "catalog" / "licenses.yaml"))


@pytest.mark.parametrize(
    ("hub_id", "license_id"),
    [
        ("apache-2.0", "apache-2.0"),
        ("llama2", "llama-2"),
        ("llama3", "llama-3"),
        ("llama3.1", "llama-3.1"),
        ("gemma", "gemma"),
        ("bigscience-bloom-rail-1.0", "bigscience-bloom-rail-1.0"),
        ("bigcode-openrail-m", "openrail-m-v1"),
        ("creativeml-openrail-m", "creativeml-openrail-m"),
        # license: other + license_name, as Qwen, DeepSeek, Yi and Falcon cards say it
        ("tongyi-qianwen", "tongyi-qianwen"),
        ("deepseek", "deepseek"),
        ("yi-license", "yi"),
        ("falcon-180b-license", "falcon-180b"),
        ("other", "other"),
    ],
)
def test_hub_ids_and_license_names_map_to_book_ids(hub_id: str, license_id: str) -> None:
    found = BOOK.by_hub_id(hub_id)
    assert found is not None and found.id == license_id


def test_spdx_and_osi_where_they_exist() -> None:
    assert BOOK.get("apache-2.0") is not None
    assert {lic.id: (lic.spdx, lic.osi) for lic in BOOK.licenses if lic.osi} == {
        "apache-2.0": ("Apache-2.0", True),
        "mit": ("MIT", True),
        "bsd-3-clause": ("BSD-3-Clause", True),
    }
    llama = BOOK.get("llama-2")
    assert llama is not None and llama.spdx is None and llama.osi is False


def test_the_bundled_book_holds_every_license_import_knows() -> None:
    assert {item["id"] for item in known_licenses()} <= {lic.id for lic in BOOK.licenses}
