"""`sna check`: which inputs cover the area, what is missing, and an unknown area code."""

import gzip

import pandas as pd
import pytest

from sna import cli
from sna.io import geography
from sna.io.area import resolve_area
from sna.paths import raw_dir


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def _missing(out: str) -> list[str]:
    return sorted(line.split(":")[0].replace("MISSING", "").strip()
                  for line in out.splitlines() if line.strip().startswith("MISSING"))


def test_an_area_without_extract_or_published_series_lists_exactly_those(tmp_path, capsys):
    params = _write(tmp_path, "svd_sna_hull_2025.yaml",
                    'ltla24_codes: [E06000010]\nfirst_month: "2025-01"\nlast_month: "2025-12"\n')
    assert cli.main(["check", str(params)]) == 0
    out = capsys.readouterr().out
    assert _missing(out) == ["force extract", "published domestic-abuse series"]
    assert "When, Who, Response priorities: not available" in out
    assert "no seasonal model" in out and "year-on-year comparison not available" in out
    assert "12 of 12 months 2025-01 to 2025-12" in out


def test_an_area_without_boundaries_says_the_map_is_skipped(tmp_path, capsys, monkeypatch):
    national = tmp_path / "national"
    national.mkdir()
    for item in (raw_dir() / "shipped" / "national").iterdir():
        if item.name != "boundaries":
            (national / item.name).symlink_to(item)
    monkeypatch.setattr(geography, "national_dir", lambda: national)
    params = _write(tmp_path, "hate_crime_review_x_2025.yaml",
                    "ltla24_codes: [E06000063]\nextract: data/raw/nothing_here.csv\n")
    assert cli.main(["check", str(params)]) == 1  # the review cannot run without its extract
    out = capsys.readouterr().out
    assert _missing(out) == ["LSOA boundaries", "force extract"]
    assert "the LSOA map and the Getis-Ord hotspots are skipped" in out
    assert "the whole hate-crime review: it cannot run" in out
    assert out.rstrip().endswith("The report cannot run without: force extract.")
    assert "The report renders" not in out


def test_no_police_uk_files_for_the_force_is_named(tmp_path, capsys):
    params = _write(tmp_path, "svd_sna_cardiff_2025.yaml", "ltla24_codes: [W06000015]\n")
    assert cli.main(["check", str(params)]) == 1
    out = capsys.readouterr().out
    assert out.rstrip().endswith("The report cannot run without: police.uk files.")
    assert "no folder of police.uk files for South Wales" in out
    assert "IMD 2025: no LSOA of the area has an IMD" in out


def test_an_unknown_area_code_is_named_with_the_closest(tmp_path, capsys):
    params = _write(tmp_path, "svd_sna_typo_2025.yaml", "ltla24_codes: [E06000O63]\n")
    assert cli.main(["check", str(params)]) == 2
    err = capsys.readouterr().err
    assert "unknown area code 'E06000O63'" in err and "did you mean E06000063 (Cumberland)" in err


def test_demo_data_for_any_area_is_synthetic_and_on_its_lsoas(tmp_path, capsys):
    assert cli.main(["demo-data", "--area", "E06000010", "--start", "2025-01", "--end",
                     "2025-06", "--out", str(tmp_path)]) == 0
    assert "SYNTHETIC" in capsys.readouterr().out
    (path,) = tmp_path.glob("*.csv.gz")
    assert path.name.startswith("SYNTHETIC_force_extract_kingston-upon-hull")  # pragma: allowlist secret
    with gzip.open(path, "rt") as f:
        rows = pd.read_csv(f, dtype=str)
    assert set(rows["lsoa21_code"]) <= set(resolve_area("E06000010").lsoas)
    assert rows["crime_ref"].str.startswith("SYN").all()
    months = rows["offence_date"].str[:7]
    assert months.min() == "2025-01" and months.max() == "2025-06"


def test_check_output_is_one_line_per_finding():
    from sna.reports.preflight import check_area

    found = check_area({"ltla24_codes": ["E06000063"], "extract": ""}, "hate_crime_review")
    assert [f.input for f in found][:2] == ["area", "area"]
    assert all(f.status in ("ok", "warning", "missing") for f in found)
    with pytest.raises(Exception, match="no area codes"):
        check_area({}, "svd_sna")


def test_check_names_the_partner_councils_and_the_split_county_gap():
    from sna.reports.preflight import check_area

    found = check_area({"ltla24_codes": ["E06000063"], "extract": ""}, "svd_sna")
    partner = [f for f in found if f.input.startswith("partner")]
    assert partner[0].status == "ok" and "Cumberland (E06000063)" in partner[0].message
    assert partner[1].status == "warning"
    assert "published for the former Cumbria County Council (E10000006) only" in \
        partner[1].message
    found = check_area({"ltla24_codes": ["E07000136"], "extract": ""}, "svd_sna")
    partner = [f for f in found if f.input.startswith("partner")]
    assert "Lincolnshire (E10000019) (derived from the area codes)" in partner[0].message
    assert "larger area" in partner[1].message
    found = check_area({"ltla24_codes": ["W06000015"], "extract": ""}, "svd_sna")
    partner = [f for f in found if f.input.startswith("partner")]
    assert partner[0].status == "missing" and "Welsh council" in partner[1].message
