"""One scope value, resolved once (helpers.core.scope, helpers.io.national.resolve_scope): the same
``provinsi``/``kota`` words in every notebook and in the batch, names in the spellings offices use."""

from __future__ import annotations

import pytest

from helpers.batch.scopes import available_scopes, province_scopes, scope_parameters
from helpers.core.scope import DKI, NATIONAL, UnknownKota, UnknownProvince, output_folder
from helpers.io.national import resolve_scope, unit_table


@pytest.mark.parametrize("kota", [None, "", "dki", "DKI Jakarta", "Provinsi DKI Jakarta", "all", "semua"])
def test_the_whole_of_dki(kota):
    assert resolve_scope(None, kota) == DKI
    assert (DKI.slug, DKI.label, DKI.provinsi_kode, DKI.kota_kode) == ("dki", "DKI Jakarta", "31", None)


@pytest.mark.parametrize("kota", ["Kab. Adm. Kepulauan Seribu", "KEPULAUAN SERIBU", "31.01", "3101",
                                  "Kabupaten Administrasi Kepulauan Seribu", "kepulauan seribu"])
def test_a_kota_of_dki_in_any_spelling(kota):
    scope = resolve_scope(None, kota)
    assert (scope.kota_kode, scope.kota, scope.label, scope.slug) == ("31.01", "Kepulauan Seribu", "Kepulauan Seribu",
                                                                      "kepulauan-seribu")
    assert scope.is_dki and not scope.is_whole and scope.provinsi == "DKI Jakarta"


@pytest.mark.parametrize("kota", ["jakpus", "Jakarta Pusat", "Kota Adm. Jakarta Pusat", "JAKARTA PUSAT", "3171"])
def test_jakarta_pusat(kota):
    assert resolve_scope("DKI Jakarta", kota).kota_kode == "31.71"


def test_unknown_and_ambiguous_names_list_the_candidates():
    with pytest.raises(UnknownKota, match="unknown kota 'Jakarta Tengah'; use one of: Kepulauan Seribu, Jakarta "
                                          "Pusat, Jakarta Utara"):
        resolve_scope(None, "Jakarta Tengah")
    with pytest.raises(UnknownKota, match="ambiguous: Kabupaten Bogor, Kota Bogor"):
        resolve_scope("Jawa Barat", "Bogor")
    with pytest.raises(UnknownProvince, match="unknown provinsi 'Atlantis'"):
        resolve_scope("Atlantis")


def test_provinces_and_their_kab_kota():
    s = resolve_scope("malut", "Ternate")
    assert (s.provinsi_kode, s.provinsi, s.kota_kode, s.kota, s.label, s.slug, s.title) == (
        "82", "Maluku Utara", "82.71", "Kota Ternate", "Ternate", "ternate", "Kota Ternate (Maluku Utara)")
    whole = resolve_scope("Maluku Utara")
    assert (whole.slug, whole.label, whole.kota, whole.is_whole) == ("maluku-utara", "Maluku Utara", None, True)
    assert resolve_scope("Jawa Barat", "Kota Bogor").slug == "kota-bogor"  # two Bogor: the full name
    # "Kab." as offices write it (and as a file's kab/kota column accepts it): Kabupaten Bogor, not ambiguous
    assert resolve_scope("jabar", "Kab. Bogor").slug == resolve_scope("jabar", "Kab Bogor").slug == "kabupaten-bogor"
    assert resolve_scope("82", "Maluku Utara") == whole  # the province's own name: the whole province


@pytest.mark.parametrize("provinsi", ["indonesia", "Indonesia", "nasional", "national", "all", "semua"])
def test_all_of_indonesia(provinsi):
    assert resolve_scope(provinsi) == NATIONAL and NATIONAL.is_national and NATIONAL.slug == "national"
    assert resolve_scope(provinsi, "Kota Ternate").provinsi == "Maluku Utara"  # a kab/kota anywhere


def test_the_batch_hands_each_run_its_scope_back():
    """The batch's scopes and the notebooks' resolver agree: the parameters a run gets give its scope back."""
    for scope in available_scopes() + province_scopes(["malut"]) + [NATIONAL]:
        params = scope_parameters(scope)
        assert resolve_scope(params["provinsi"], params["kota"]) == scope, scope
        assert output_folder(None, scope).name == scope.slug


def test_one_table_of_units():
    units = unit_table()
    assert len(units.provinces) == 38 and units.kabkota["kode"].is_unique
    assert units.kabkota["provinsi_kode"].isin(units.provinces["kode"]).all()
