"""SVD partner sections: every figure against an independent computation from the shipped raw
files (pandas, csv, openpyxl and scipy here, never the project's readers or statistics), the
register's seven authority types, and missing files as named gaps."""

import csv
import gzip
import html
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from scipy import optimize, stats

from sna.io.partner.load import load_partner_data
from sna.paths import raw_dir, repo_root
from sna.reports import svd_partners as sp
from sna.stats.disclosure import DisclosurePolicy

SHIPPED = raw_dir() / "shipped" / "partner"
AREAS = {"E06000065": {"name": "North Yorkshire", "la_number": "815"},
         "E06000014": {"name": "York", "la_number": "816"}}
CODE = {"815": "E06000065", "816": "E06000014"}
Z = stats.norm.ppf(0.975)


@pytest.fixture(scope="module")
def partner():
    return load_partner_data()


@pytest.fixture(scope="module")
def at_risk(partner):
    return sp.children_at_risk(partner, AREAS)


def raw_csv(name):
    return pd.read_csv(SHIPPED / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def number(text):
    try:
        return float(text)
    except ValueError:
        return np.nan


def byars(count, conf=0.95):
    """Byars (x >= 10) or exact chi-square (x < 10) limits for a count, written out here."""
    z = stats.norm.ppf(0.5 + conf / 2)
    if count < 10:
        low = stats.chi2.ppf((1 - conf) / 2, 2 * count) / 2 if count > 0 else 0.0
        return low, stats.chi2.ppf(1 - (1 - conf) / 2, 2 * count + 2) / 2
    return (count * (1 - 1 / (9 * count) - z / (3 * np.sqrt(count))) ** 3,
            (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * np.sqrt(count + 1))) ** 3)


def wilson(x, n, z=Z):
    centre = (2 * x + z**2) / (2 * (n + z**2))
    half = z * np.sqrt(z**2 + 4 * x * (1 - x / n)) / (2 * (n + z**2))
    return 100 * (centre - half), 100 * (centre + half)


def neighbours(la_number):
    text = gzip.decompress((SHIPPED / "New_Statistical_Neighbour_Groupings_April_2021.csv.gz")
                           .read_bytes()).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        if row and row[0] == la_number:
            return [row[i] for i in range(5, 25, 2)]
    raise AssertionError(la_number)


def la_codes(frame):
    las = frame[frame["geographic_level"] == "Local authority"]
    return dict(zip(las["old_la_code"], las["new_la_code"].replace("E10000023", "E06000065"),
                    strict=False))


def test_assessment_factor_rates_england_and_neighbours_from_the_raw_files(at_risk):
    c3 = raw_csv("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv.gz")
    cla = raw_csv("cla_number_and_rate_per_10k_children.csv.gz")
    pop = cla[(cla["time_period"] == "2025")
              & (cla["population_type"] == "Children looked after on 31 March each year")]
    pop = {("National" if r.geographic_level == "National" else r.new_la_code):
           number(r.population_estimate) for r in pop.itertuples()
           if r.geographic_level in ("National", "Local authority")}
    c3 = c3[c3["time_period"] == "2025"]
    codes = la_codes(c3)
    table = at_risk.results["factors"]
    checked = 0
    for column, label in sp.FACTORS.items():
        england = c3[c3["geographic_level"] == "National"].iloc[0]
        england_rate = number(england[column]) / pop["National"] * 1e4
        for la_number, code in CODE.items():
            row = table[(table["Factor"] == label)
                        & (table["Area"] == AREAS[code]["name"])].iloc[0]
            own = c3[c3["new_la_code"] == code].iloc[0]
            count = number(own[column])
            assert row["England"] == pytest.approx(england_rate, rel=1e-9)
            sn = [codes[n] for n in neighbours(la_number) if n in codes]
            sn_rows = c3[c3["new_la_code"].isin(sn)]
            counts = sn_rows[column].map(number)
            pops = sn_rows["new_la_code"].map(pop)
            ok = counts.notna() & pops.notna()
            assert row["Neighbours (pooled)"] == pytest.approx(
                counts[ok].sum() / pops[ok].sum() * 1e4, rel=1e-9)
            if np.isnan(count):
                assert pd.isna(row["value"]) and row["vs England"] == "not compared"
                assert own[column] in ("c", "x", "z", "u", "low")
                continue
            low, high = (v / pop[code] * 1e4 for v in byars(count))
            assert row["value"] == pytest.approx(count / pop[code] * 1e4, rel=1e-9)
            assert (row["lower"], row["upper"]) == (pytest.approx(low, rel=1e-6),
                                                    pytest.approx(high, rel=1e-6))
            expected = ("similar" if low <= england_rate <= high
                        else "higher" if count / pop[code] * 1e4 > england_rate else "lower")
            assert row["vs England"] == expected
            checked += 1
    assert checked >= 12


def poisson_slope(counts, exposure):
    """Average yearly rate ratio by maximising the Poisson likelihood directly (scipy)."""
    t = np.arange(len(counts), dtype=float)
    y = np.asarray(counts, dtype=float)
    offset = np.log(np.asarray(exposure, dtype=float))

    def negative_loglik(beta):
        eta = beta[0] + beta[1] * t + offset
        return -(y * eta - np.exp(eta)).sum()

    start = [np.log(y.sum() / np.exp(offset).sum()), 0.0]
    return float(np.exp(optimize.minimize(negative_loglik, start, method="Nelder-Mead",
                                          options={"xatol": 1e-10, "fatol": 1e-10,
                                                   "maxiter": 5000}).x[1]))


def test_factor_trend_ratio_matches_a_direct_likelihood_fit(at_risk):
    c3 = raw_csv("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv.gz")
    ny = c3[c3["new_la_code"].isin(["E06000065", "E10000023"])].sort_values("time_period")
    counts = ny["Child_sexual_exploitation"].map(number).to_numpy()
    expected = poisson_slope(counts, np.ones(len(counts)))
    trends = at_risk.results["factor_trends"]
    row = trends[(trends["Area"] == "North Yorkshire")
                 & (trends["Factor"] == "Child sexual exploitation")].iloc[0]
    assert row["Average change a year (%)"] == pytest.approx((expected - 1) * 100, abs=1e-3)
    assert row["From"] == f"2018: {counts[0]:.0f}" and row["To"] == f"2025: {counts[-1]:.0f}"


def test_looked_after_convictions_from_the_raw_file(at_risk):
    raw = raw_csv("la_conviction_health_outcome_cla.csv.gz")
    raw = raw[raw["time_period"] == "2025"]
    national = raw[raw["geographic_level"] == "National"].set_index("breakdown")["children_count"]
    england = float(national[sp.CONVICTED]) / float(national[sp.CONVICTION_TOTAL]) * 100
    table = at_risk.results["convictions"]
    assert table["England"].tolist() == [pytest.approx(england)] * 2
    ny = raw[raw["new_la_code"] == "E06000065"].set_index("breakdown")["children_count"]
    assert ny[sp.CONVICTED] == "c"
    assert pd.isna(table.loc[table["Area"] == "North Yorkshire", "value"].iloc[0])
    assert table.loc[table["Area"] == "North Yorkshire", "denominator"].iloc[0] == float(
        ny[sp.CONVICTION_TOTAL])


def test_persistent_absence_from_the_raw_file(at_risk):
    raw = raw_csv("absence_la.csv.gz")
    raw = raw[(raw["time_period"] == "202425") & (raw["phase_type_grouping"] == "Total")]
    table = at_risk.results["absence"]
    for group, label in sp.SOCIAL_CARE_GROUPS.items():
        rows = raw[raw["social_care_group"] == group]
        eng = rows[rows["geographic_level"] == "National"].iloc[0]
        for code, spec in AREAS.items():
            own = rows[rows["new_la_code"] == code].iloc[0]
            x, n = float(own["t_pupils_pa_10_exact"]), float(own["t_pupils"])
            row = table[(table["Group"] == label) & (table["Area"] == spec["name"])].iloc[0]
            assert row["value"] == pytest.approx(100 * x / n)
            assert row["value"] == pytest.approx(float(own["pt_pupils_pa_10_exact"]), abs=0.05)
            assert (row["lower"], row["upper"]) == tuple(pytest.approx(v) for v in wilson(x, n))
            assert row["England"] == pytest.approx(
                100 * float(eng["t_pupils_pa_10_exact"]) / float(eng["t_pupils"]))


def test_serious_violence_cohort_from_the_workbooks(at_risk):
    book = openpyxl.load_workbook(SHIPPED / "2023_03_16_OFFSEN_SchoolExp.xlsx", read_only=True)
    rows = list(book["EverSusExcl"].iter_rows(values_only=True))
    book.close()
    book = openpyxl.load_workbook(SHIPPED / "2023_03_16_OFSEN_Demographics.xlsx", read_only=True)
    info = list(book["info_table"].iter_rows(values_only=True))
    book.close()
    sizes = {r[0]: int(r[4].split(" ")[0]) for r in info[1:] if r[1] == "Home"}
    table = at_risk.results["cohort"]
    for name in ("North Yorkshire", "York"):
        sv = next(r[2] for r in rows if r[0] == name and r[1] == "Home"
                  and r[3] == "Serious Violence Offence" and r[4] == "Suspended")
        everyone = next(r[2] for r in rows if r[0] == name and r[1] == "Home"
                        and r[3] == "All Pupils" and r[4] == "Suspended")
        row = table[(table["Area"] == name) & (table["Experience"] == "Ever suspended")].iloc[0]
        assert row["Serious violence cohort (%)"] == sv and row["All pupils (%)"] == everyone
        assert row["Cohort size"] == sizes[name]
        low, high = wilson(round(sv * sizes[name] / 100), sizes[name])
        assert (row["Lower limit"], row["Upper limit"]) == (pytest.approx(low), pytest.approx(high))
    assert sizes["North Yorkshire"] == 214


def test_child_injury_admissions_from_the_fingertips_export(partner):
    section = sp.health(partner, AREAS)
    raw = raw_csv("la_hospital_admissions_2324.csv.gz")
    raw = raw[(raw["Sex"] == "Persons") & (raw["Category Type"] == "")]
    latest = raw[raw["Time period"] == "2023/24"].drop_duplicates("Area Code")
    england = float(latest.loc[latest["Area Code"] == "E92000001", "Value"].iloc[0])
    c3 = raw_csv("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv.gz")
    codes = la_codes(c3)
    table = section.results["child_injury_admissions"]
    for la_number, code in CODE.items():
        own = latest[latest["Area Code"] == code].iloc[0]
        row = table[table["Area"] == AREAS[code]["name"]].iloc[0]
        assert row["Per 10,000"] == pytest.approx(float(own["Value"]))
        assert row["Per 10,000"] == pytest.approx(
            float(own["Count"]) / float(own["Denominator"]) * 1e4, rel=1e-6)
        assert row["Lower limit (published)"] == float(own["Lower CI 95.0 limit"])
        assert row["England"] == england
        assert row["vs England"] == ("worse" if float(own["Lower CI 95.0 limit"]) > england
                                     else "better" if float(own["Upper CI 95.0 limit"]) < england
                                     else "similar")
        sn = latest[latest["Area Code"].isin([codes[n] for n in neighbours(la_number)
                                              if n in codes])]
        sn = sn[(sn["Count"] != "") & (sn["Denominator"] != "")]
        assert row["Neighbours (pooled)"] == pytest.approx(
            sn["Count"].astype(float).sum() / sn["Denominator"].astype(float).sum() * 1e4)
    ny = raw[raw["Area Code"] == "E06000065"].drop_duplicates("Time period").sort_values(
        "Time period")
    expected = poisson_slope(ny["Count"].astype(float), ny["Denominator"].astype(float))
    assert section.results["child_injury_admissions_trend_E06000065"].ratio == pytest.approx(
        expected, abs=1e-5)
    page = section._repr_html_()
    assert "Hospital admissions for violence (including sexual violence)" in page
    assert "sna fetch fingertips --indicator 11201" in page
    assert "A&amp;E attendances for assault" in page


def _local_definition(raw: pd.DataFrame, groups: pd.DataFrame) -> pd.Series:
    """Raw extract rows inside the local definition, written out from its statement: the
    offence groups it names, or any offence flagged domestic abuse."""
    named = {"homicide", "violence_with_injury", "rape_sexual", "weapon_possession",
             "arson_endangering_life"}
    codes = set(groups.loc[groups["svd_group"].isin(named), "ho_offence_code"])
    return raw["ho_offence_code"].isin(codes) | (raw["da_flag"] == "Y")


def test_who_figures_from_the_raw_synthetic_extract(partner):
    from sna.io.extract import read_force_extract

    path = raw_dir() / "shipped" / "synthetic" / "SYNTHETIC_force_extract_nyy_2020-04_2025-12.csv.gz"
    extract = read_force_extract(path).clean
    policy = DisclosurePolicy(min_count=5)
    section = sp.who(extract, partner, AREAS, "2025-12", policy)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    groups = pd.read_csv(repo_root() / "sna" / "io" / "offence_codes.csv", dtype=str)
    rows = raw[raw["offence_date"].str.startswith("2025") & _local_definition(raw, groups)]
    assert section.results["rows"] == len(rows)
    for result, age, sex in (("victims_age_sex", "victim_age_band", "victim_sex"),
                             ("suspects_age_sex", "suspect_age_band", "suspect_sex")):
        known = rows[(rows[age] != "") & (rows[sex] != "")]
        expected = pd.crosstab(known[age], known[sex])
        published = section.results[result].set_index(section.results[result].columns[0])
        labels = {"F": "Female", "M": "Male", "X": "Another"}
        hidden = 0
        for band in expected.index:
            for code in expected.columns:
                value = published.loc[band, labels[code]]
                raw_count = expected.loc[band, code]
                if 0 < raw_count < 5:
                    assert pd.isna(value), f"{result}: {band}/{code} = {raw_count} published"
                if pd.notna(value):
                    assert value == raw_count
                else:
                    hidden += 1
        assert hidden < expected.size / 2, "suppression hides most of the table"
        shown = published.drop(index="Total").drop(columns="Total").to_numpy(dtype=float)
        assert not ((shown > 0) & (shown < 5)).any(), "a small count is published"
        assert published.loc["Total", "Total"] == len(known)
    repeats = section.results["repeats"].set_index("Measure")
    for column, label in (("repeat_victim", "Repeat victims"),
                          ("repeat_suspect", "Repeat suspects")):
        flagged = rows[rows[column] != ""]
        yes = int((flagged[column] == "Y").sum())
        assert repeats.loc[label, "count"] == yes
        assert repeats.loc[label, "%"] == pytest.approx(100 * yes / len(flagged))
    eth = section.results["victims_ethnicity"].set_index("Ethnic group")
    census = raw_csv("ons-ethnic-population-la.csv.gz")
    census = census[census.iloc[:, 0].isin(list(AREAS)) & (census.iloc[:, 2] != "-8")]
    white = census[census.iloc[:, 3].str.startswith("White")]["Observation"].astype(float).sum()
    n_white = int((rows["victim_ethnicity"] == "White").sum())
    assert eth.loc["White", "count"] == n_white
    assert eth.loc["White", "Residents (Census 2021)"] == white
    assert eth.loc["White", "Per 1,000 residents"] == pytest.approx(n_white / white * 1000)


def test_register_lists_all_seven_authority_types_honestly(partner):
    import yaml

    params = yaml.safe_load((repo_root() / "params" / "svd_sna_nyy_2025.yaml").read_text())
    table = sp.register_table(params["partner_register"], partner)
    assert list(dict.fromkeys(table["type"])) == list(sp.AUTHORITY_TYPES)
    status = table.set_index("type")["Status"]
    assert status["probation"] == status["fire_and_rescue"] == "not supplied"
    assert status["police"] == "published data used"  # the force extract is synthetic
    assert "supplied" not in set(status)
    assert "Fingertips 11201" in table.set_index("type").loc["health", "Note"]
    short = sp.register_table([{"authority_type": "health", "authority": "ICB",
                                "sources": ["violence_admissions"],
                                "status": "supplied"}], partner)
    assert len(short) == 7
    assert short.set_index("type").loc["health", "Status"] == "not supplied"
    assert short.set_index("type").loc["police", "Note"] == "not listed in the parameters"


def test_register_parameter_errors_are_actionable():
    from sna.errors import SnaInputError

    with pytest.raises(SnaInputError, match="authority_type 'fire'") as caught:
        sp.check_register([{"authority_type": "fire", "status": "supplied"}])
    assert "fire_and_rescue" in caught.value.fix
    with pytest.raises(SnaInputError, match="status 'sent'"):
        sp.check_register([{"authority_type": "police", "status": "sent"}])
    with pytest.raises(SnaInputError, match="unknown key 'stauts'"):
        sp.check_register([{"authority_type": "police", "stauts": "supplied"}])


def test_missing_partner_files_are_named_gaps_never_a_crash(tmp_path):
    partner = load_partner_data(files={"assessment_factors": "", "dfe_moj_school": "gone.xlsx",
                                 "child_injury_admissions": "gone.csv"}, root=tmp_path)
    page = sp.children_at_risk(partner, AREAS)._repr_html_()
    assert "Not available, because the children&#x27;s social care assessment factors" in page
    assert "Hospital admissions for violence" in sp.health(partner, AREAS)._repr_html_()
    gaps = sp.data_gaps([], partner, AREAS, missing_months=["2024-05", "2024-06"]).results["gaps"]
    text = " ".join(gaps["Gap"])
    for expected in ("Children in need: factors identified at the end of assessment: not "
                     "supplied (no file given)", "file not found: gone.xlsx",
                     "file not found: gone.csv", "Probation: no data supplied",
                     "no data for May 2024 to Jun 2024", "SYNTHETIC demo data used"):
        assert expected in text
    assert len(gaps) >= 10


def test_svd_params_validator_checks_the_partner_keys(tmp_path):
    import yaml

    from sna.errors import SnaInputError
    from sna.reports.params import load_params

    notebook = repo_root() / "notebooks" / "svd_sna.ipynb"
    params = yaml.safe_load((repo_root() / "params" / "svd_sna_nyy_2025.yaml").read_text())
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(params))
    assert load_params(good, notebook)["partner_areas"]["E06000014"]["la_number"] == "816"
    params["partner_register"][2]["authority_type"] = "probaton"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(params))
    with pytest.raises(SnaInputError) as caught:
        load_params(bad, notebook)
    assert str(caught.value).startswith(
        f"{bad}, column 'partner_register': partner_register entry 3 has authority_type "
        "'probaton'. Fix: use one of: police, health, probation, youth_justice, education, "
        "fire_and_rescue, local_authority.")
    params["partner_register"][2]["authority_type"] = "probation"
    params["partner_files"] = {"absence": "x.csv"}
    bad.write_text(yaml.safe_dump(params))
    with pytest.raises(SnaInputError, match="unknown partner source 'absence'"):
        load_params(bad, notebook)


# ---------------------------------------------------------------- derived from the area codes

def _derive(codes, partner, **kwargs):
    from sna.io.area import resolve_area

    return sp.derive_partner_params({}, [], resolve_area(codes), partner, extract="x.csv",
                                    first_month="2025-01", last_month="2025-12", **kwargs)


def test_partner_areas_and_register_are_derived_for_another_area(partner):
    areas, register, notes = _derive(["E06000010"], partner)
    assert areas == {"E06000010": {"name": "Kingston upon Hull, City of", "la_number": "810"}}
    assert notes == []
    entries = {e["authority_type"]: e for e in register}
    assert list(entries) == list(sp.AUTHORITY_TYPES)
    assert entries["police"]["authority"] == "Humberside police force"
    assert "SYNTHETIC" in entries["police"]["data"]
    assert entries["health"]["authority"] == ("the Integrated Care Board(s) covering Kingston "
                                              "upon Hull, City of")
    status = sp.register_table(register, partner).drop_duplicates("type").set_index("type")[
        "Status"]
    assert status.to_dict() == {
        "police": "published data used", "health": "published data used",
        "probation": "not supplied", "youth_justice": "published data used",
        "education": "published data used", "fire_and_rescue": "not supplied",
        "local_authority": "published data used"}
    assert entries["local_authority"]["period"].startswith("2018 to 2025")
    text = str(register)
    assert "York" not in text and "Yorkshire" not in text


def test_a_real_extract_makes_the_police_supplied(partner):
    _, register, _ = _derive(["E06000010"], partner, uses_synthetic_data=False,
                             force_name="Humberside Police")
    police = register[0]
    assert police["authority"] == "Humberside Police" and police["status"] == "supplied"
    assert police["sources"] == ["police_uk", "force_extract"]


def test_given_partner_params_are_used_as_given(partner):
    from sna.io.area import resolve_area

    given = [{"authority_type": "police", "authority": "A force", "status": "supplied"}]
    areas, register, notes = sp.derive_partner_params(
        {"E06000010": {"name": "Hull", "la_number": "810"}}, given,
        resolve_area(["E06000010"]), partner)
    assert areas == {"E06000010": {"name": "Hull", "la_number": "810"}}
    assert register is given and notes == []


@pytest.mark.parametrize("code", ["E06000063", "E06000064"])
def test_successors_of_a_split_county_say_not_available_never_copy(partner, code):
    areas, register, _ = _derive([code], partner)
    entries = {e["authority_type"]: e for e in register}
    youth = entries["youth_justice"]
    assert youth["status"] == "not supplied" and youth["sources"] == []
    assert "published for the former Cumbria County Council (E10000006) only" in youth["note"]
    assert "statistical_neighbours" not in entries["local_authority"]["sources"]
    cohort = sp.offending_cohort(partner, sp.Areas.from_params(areas))
    page = cohort._repr_html_()
    name = areas[code]["name"]
    assert f"Not available for {name}: published for the former Cumbria County Council" in page
    gaps = " ".join(sp.data_gaps(register, partner, areas).results["gaps"]["Gap"])
    assert "key stage 4 cohorts" not in gaps  # no DfE-MoJ rows for the successor councils
    assert "cohort" not in cohort.results
    section = sp.children_at_risk(partner, areas)
    factors = section.results["factors"]
    assert factors["Neighbours with data"].eq("0 of 0").all()
    assert factors["count"].notna().any()  # the successor's own figures (2024 on) are shown
    html = section._repr_html_()
    assert ("no comparison with statistical neighbours, because the DfE groupings (April "
            "2021) predate the council and list only the former Cumbria County Council") in html
    assert "2021, 2022, 2023); it is suppressed" not in html  # 'z', not 'c' (suppressed)
    assert "no figure for 2021, 2022, 2023 (not applicable, as the council did not yet exist)" \
        in html
    assert "before April 2023: not available: published for the former Cumbria" in html


def test_a_district_gets_its_county_figures_and_says_so(partner):
    areas, register, notes = _derive(["E07000136"], partner)
    assert areas == {"E10000019": {"name": "Lincolnshire", "la_number": "925"}}
    assert "describe a larger area" in notes[0]
    status = {e["authority_type"]: e["status"] for e in register}
    assert status["local_authority"] == status["education"] == "published data used"
    assert "Lincolnshire" in sp.children_at_risk(partner, areas)._repr_html_()
    page = sp.partner_register(register, partner, notes=notes)._repr_html_()
    assert "Boston (E07000136) is a district council" in page


def test_an_area_without_derivable_councils_says_why(partner):
    areas, register, notes = _derive(["W06000015"], partner)
    assert areas == {} and "Welsh council" in notes[0]
    status = {e["authority_type"]: e["status"] for e in register}
    assert status["local_authority"] == status["education"] == "not supplied"
    assert "Welsh council" in next(e for e in register
                                   if e["authority_type"] == "education")["note"]
    assert "Not available: no upper-tier council" in sp.children_at_risk(
        partner, areas)._repr_html_()
    assert "Not available: no upper-tier council" in sp.health(partner, areas)._repr_html_()
    page = sp.partner_register(register, partner, notes=notes)._repr_html_()
    assert "Cardiff (W06000015) is a Welsh council" in page


def test_empty_partner_defaults_validate_and_wrong_shapes_are_clear(tmp_path):
    from sna.errors import SnaInputError
    from sna.reports.params import load_params

    notebook = repo_root() / "notebooks" / "svd_sna.ipynb"
    path = tmp_path / "p.yaml"
    path.write_text("ltla24_codes: [E06000010]\npartner_areas: {}\npartner_register: []\n")
    assert load_params(path, notebook)["partner_areas"] == {}
    cases = {
        "partner_register: police\n": "should be a list",
        "partner_register: [police]\n": "entry 1 is not a mapping",
        "partner_register: [{authority_type: police, status: supplied, sources: police_uk}]\n":
            "sources is not a list",
        "partner_register: [{authority_type: police, status: supplied, data: [a]}]\n":
            "data is not text",
        "partner_areas: [E06000010]\n": "should be a mapping",
        "partner_areas: {E06000010: Hull}\n": "has no name",
        "partner_areas: {E06000010: {nme: Hull}}\n": "has no name",
        "partner_areas: {E06000010: {name: Hull, la_numbr: '810'}}\n":
            "unknown key 'la_numbr' in partner_areas['E06000010'] (did you mean 'la_number'?)",
        "partner_areas: {E07000136: {name: Boston}}\n": "not an upper-tier",
    }
    for text, message in cases.items():
        path.write_text(text)
        with pytest.raises(SnaInputError) as caught:
            load_params(path, notebook)
        assert message in str(caught.value), (text, str(caught.value))
        assert str(path) in str(caught.value) and caught.value.fix


def test_young_victims_change_needs_both_years_and_counts_them_from_the_raw_rows(partner):
    """Audit: an extract of 2025 only printed 'Victims ... aged under 25: 0 in the previous
    12 months and 995 in the latest 12 months, a change larger than chance' (no data as zero)."""
    from sna.io.extract import read_force_extract
    from sna.stats.trend import change_between

    path = raw_dir() / "shipped" / "synthetic" / "SYNTHETIC_force_extract_nyy_2020-04_2025-12.csv.gz"
    extract = read_force_extract(path).clean
    policy = DisclosurePolicy(min_count=5)
    one_year = extract[extract["month"].astype(str) >= "2025-01"]
    section = sp.who(one_year, partner, AREAS, "2025-12", policy)
    assert "young_victims_change" not in section.results
    page = html.unescape(section._repr_html_())
    assert "a change in victims aged under 25: it needs the extract's months 2024-01 to " \
           "2025-12, and the extract covers 2025-01 to 2025-12" in page
    assert "aged under 25: 0 in" not in page

    section = sp.who(extract, partner, AREAS, "2025-12", policy)
    change = section.results["young_victims_change"]
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    groups = pd.read_csv(repo_root() / "sna" / "io" / "offence_codes.csv", dtype=str)
    young = raw[_local_definition(raw, groups) & raw["victim_age_band"].isin(["0-15", "16-24"])]
    year = young["offence_date"].str[:4]
    assert (change.count_a, change.count_b) == ((year == "2024").sum(), (year == "2025").sum())
    monthly = young.groupby(young["offence_date"].str[:7]).size()
    monthly.index = pd.PeriodIndex(monthly.index, freq="M")
    monthly = monthly.reindex(pd.period_range("2020-04", "2025-12", freq="M"), fill_value=0)
    assert change.verdict == change_between(monthly.astype(float), monthly.index[-24:-12],
                                            monthly.index[-12:]).verdict
