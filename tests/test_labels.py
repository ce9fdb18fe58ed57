"""The one label table (helpers.core.labels) and its one getter (helpers.core.text.label)."""

import string

import pytest

from helpers.core import labels, text


def test_parts_never_share_a_key():
    seen = {}
    for name, part in labels.PARTS.items():
        for key in part:
            assert key not in seen, f"{key} in {seen.get(key)} and {name}"
            seen[key] = name
    assert set(seen) == set(text.LABELS) and text.LABELS is labels.LABELS


def test_every_label_has_both_languages_with_the_same_placeholders():
    def fields(s):
        return {f for _, f, _, _ in string.Formatter().parse(s) if f}
    for key, pair in text.LABELS.items():
        assert len(pair) == 2 and all(isinstance(s, str) and s for s in pair), key
        assert fields(pair[0]) == fields(pair[1]), key


def test_merge_names_a_clash():
    with pytest.raises(ValueError, match="x"):
        labels.merge({"a": {"x": ("1", "1")}, "b": {"x": ("2", "2")}})


def test_one_getter_with_fallback():
    assert text.label("map_ft_kantor_camat", "en") == "Kecamatan office (PPK)"  # issue 22: the type by its role
    assert text.label("map_ft_no_such_kind", "en", fallback="no_such_kind") == "no_such_kind"
    assert text.label("gs_basis_kota", "id", kota="Jakarta Pusat") == "di Jakarta Pusat"
    with pytest.raises(KeyError):
        text.label("map_ft_no_such_kind", "en")
    with pytest.raises(ValueError, match="language must be one of"):
        text.label("map_ft_kantor_camat", "fr", fallback="x")
