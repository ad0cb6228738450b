"""CITATION.cff is valid Citation File Format and agrees with the book's settings and the package."""

from __future__ import annotations

import json
import pathlib
import tomllib

import jsonschema
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The Citation File Format's own schema (version 1.2.0, CC-BY-4.0), as cffconvert 2.0.0 ships it.
SCHEMA = pathlib.Path(__file__).resolve().parent / "data" / "citation-file-format-1.2.0.schema.json"


def load_citation() -> dict:
    """Return CITATION.cff as JSON would hold it (YAML dates become ISO strings)."""
    return json.loads(json.dumps(yaml.safe_load((ROOT / "CITATION.cff").read_text()), default=str))


def test_citation_file_is_valid_against_the_cff_schema():
    jsonschema.validate(load_citation(), json.loads(SCHEMA.read_text()))


def test_schema_check_rejects_a_broken_citation():
    broken = load_citation()
    del broken["authors"]
    with pytest.raises(jsonschema.ValidationError, match="authors"):
        jsonschema.validate(broken, json.loads(SCHEMA.read_text()))


def test_citation_agrees_with_the_package_and_the_book():
    citation = load_citation()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    book = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"]
    # The repository's address is set in _config.yml or nowhere: CITATION.cff gives the same, or none.
    assert citation.get("repository-code") == ((book.get("repository") or {}).get("url") or None)
    assert citation["authors"][0]["name"] == "The fmnist project contributors"
    assert citation["references"][0]["authors"][0]["family-names"] == "Kugler"


def test_the_how_to_cite_page_gives_the_same_version_and_takes_the_address_from_the_book_settings():
    citation = load_citation()
    page = (ROOT / "book" / "cite.md").read_text()
    assert f"version = {{{citation['version']}}}" in page
    # The address comes from _config.yml through the book's extension, never typed into the page.
    assert "{{ repository_sentence }}" in page
    software = page[page.index("@software") : page.index("```", page.index("@software"))]
    assert "url" not in software
