"""Names, metric geometry guards and demand units."""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from helpers.analysis.demand import demand_units
from helpers.io.islands import island_pps_points
from helpers.core.geo import (UTM48S, WGS84, GeographicCRSError, geodesic_distance_m, pairwise_distance_m,
    require_projected)
from helpers.core.names import name_key, slug


@pytest.mark.parametrize("a,b", [
    ("Kota Adm. Jakarta Pusat", "JAKARTA PUSAT"), ("Kota Administrasi Jakarta Utara", "jakut"),
    ("Kabupaten Administrasi Kepulauan Seribu", "Kep. Seribu"), ("Tanjung Priuk", "Tanjung Priok"),
    ("Kec. Pulo Gadung", "Pulogadung"), ("Kramat Jati", "Kramatjati"), ("Palmerah", "Pal Merah"),
    ("Kel. Gn. Sahari Utara", "Gunung Sahari Utara"), ("Harapan Mulya", "Harapan Mulia"),
])
def test_name_variants_match(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a,b", [("Jakarta Pusat", "Jakarta Utara"), ("Cempaka Putih", "Cempaka Putih Timur"),
                                 ("Kepulauan Seribu Utara", "Kepulauan Seribu Selatan")])
def test_different_names_do_not_match(a, b):
    assert name_key(a) != name_key(b)


def test_slug():
    assert slug("Jakarta Pusat") == "jakarta-pusat"


def test_metric_functions_refuse_degrees():
    g = gpd.GeoDataFrame(geometry=[Point(106.8, -6.2)], crs=WGS84)
    with pytest.raises(GeographicCRSError, match="geographic CRS"):
        require_projected(g)
    with pytest.raises(GeographicCRSError):
        pairwise_distance_m(g, g)
    with pytest.raises(GeographicCRSError, match="no CRS"):
        require_projected(gpd.GeoDataFrame(geometry=[Point(0, 0)]))


def test_utm_distance_agrees_with_geodesic_within_half_percent():
    # Balai Kota DKI to Kantor Walikota Jakarta Timur, and a Kepulauan Seribu-scale leg
    lon1, lat1 = np.array([106.8272, 106.8272]), np.array([-6.1818, -6.1818])
    lon2, lat2 = np.array([106.9430, 106.5500]), np.array([-6.2130, -5.6000])
    a = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon1, lat1), crs=WGS84).to_crs(UTM48S)
    b = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon2, lat2), crs=WGS84).to_crs(UTM48S)
    utm = pairwise_distance_m(a, b)
    geod = geodesic_distance_m(lon1, lat1, lon2, lat2)
    assert np.all(np.abs(utm / geod - 1) < 0.005)
    assert geod[0] == pytest.approx(13_230, rel=0.01)  # ~0.1158° lon and 0.0312° lat at 6°S


def test_demand_units():
    from helpers.io.inputs import load_boundaries, load_facilities, load_tps

    kel, fac = load_boundaries("kelurahan"), load_facilities()
    tps = load_tps(kelurahan=kel)
    d = demand_units(kel, tps, fac, islands=island_pps_points())
    assert len(d) == len(kel) and d["kode"].is_unique
    assert int(d["tps_total"].sum()) == int(tps["tps_total"].sum())
    # a kelurahan with an active kantor lurah point is placed there; the others are approximate
    lurah = fac.loc[(fac["facility_type"] == "kantor_lurah") & (fac["status"] == "active"), "kelurahan_kode"]
    office = d["kode"].isin(lurah)
    assert 0 < int(d["approximate"].sum()) == int((~office).sum())
    assert ((d["position_source"] == "kantor_lurah_point") == office).all()
    seribu = d["kota_kode"] == "31.01"
    assert d["island"].any() and (d["island"] == seribu).all()
    # every PPS office point lies in its own kelurahan (it was joined spatially)
    kel = kel.set_index("kode")
    inside = [kel.geometry[k].covers(p) for k, p in zip(d["kode"], d.geometry)]
    assert all(inside)


def test_demand_units_takes_its_data_as_arguments():
    """No hidden input: the data layers have no default that would read the shipped files."""
    import inspect

    params = inspect.signature(demand_units).parameters
    assert [n for n, p in params.items() if p.default is inspect.Parameter.empty] == ["kelurahan", "tps",
                                                                                     "facilities", "islands"]
    # the islands too are data given, not a file read inside: without them, no island position is used
    from helpers.io.inputs import load_boundaries, load_facilities, load_tps

    kel = load_boundaries("kelurahan")
    d = demand_units(kel, load_tps(kelurahan=kel), load_facilities(), islands=None)
    assert (d["position_source"] == "island_position").sum() == 0
