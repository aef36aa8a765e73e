"""Partner returns: the corpus of broken returns with exact messages, row accounting,
the checks of totals against their parts, the templates and the conversion of the
partnership's published tables."""

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sna.errors import SnaInputError
from sna.io.partner_returns import (
    COLUMNS,
    check_partner_return,
    convert_published,
    measures,
    parse_period,
    read_partner_returns,
    write_template_csv,
    write_template_xlsx,
)
from sna.stats.trend import reconcile_totals

ROOT = Path(__file__).parents[3]
CORPUS = ROOT / "tests" / "corpus" / "partner_returns"
PUBLISHED = ROOT / "data" / "raw" / "shipped" / "published"
SHIPPED = PUBLISHED / "partner_returns_nyy.csv"
# The names the shipped conversion was made with (data/raw/shipped/published/README.md).
PUBLISHED_NAMES = dict(
    police_partner="North Yorkshire Police",
    sources={"da": "NYCSP report to scrutiny, September 2023, table 3.6",
             "idas": "NYCSP quarterly report, Q3 2023/24, Section 2 (IDAS return)",
             "foundation": "NYCSP quarterly report, Q3 2023/24, Section 2 (Foundation return)"})

CASES = {
    'bad_breakdown.csv': ["bad_breakdown.csv, row 3, column 'breakdown': breakdown 'female' is not 'all' or 'dimension: category'. Fix: write 'all' for the total, or e.g. 'sex: female' for a part."],
    'bad_polarity.csv': ["bad_polarity.csv, row 3, column 'polarity': polarity 'higher' is not one of up, down, neutral. Fix: write up (higher is better), down (lower is better) or neutral, or leave it blank for the measure's default."],
    'bad_target.csv': ["bad_target.csv, row 3, column 'target': target 'about 900' is not a number. Fix: write the target as a plain number, or leave it blank."],
    'blank_partner.csv': ["blank_partner.csv, row 3, column 'partner': partner is blank. Fix: write the partner's name on every row."],
    'blank_value.csv': ["blank_value.csv, row 3, column 'value': value is blank. Fix: write the figure (0 if there were none); leave it blank only on a row that sets a target not yet reported against."],
    'breakdown_does_not_add_up.csv': ["breakdown_does_not_add_up.csv, rows 2-7, column 'value': IDAS, Community-based support (hub), idas_hub_individuals, Q3 2023/24: the printed total (1,627) is 1 more than the sum of its parts, the sex breakdown (1,626). Fix: correct the total or the part that is wrong; until then the report shows both figures and uses neither silently."],
    'conflicting_rows.csv': ["conflicting_rows.csv, row 3, column 'value': conflicting values for the same partner, service, measure, breakdown and period (row 3, row 6: 887, 878). Fix: keep one row with the correct figure; neither is used until then.", "conflicting_rows.csv, row 6, column 'value': conflicting values for the same partner, service, measure, breakdown and period (row 3, row 6: 887, 878). Fix: keep one row with the correct figure; neither is used until then."],
    'duplicate_row.csv': ["duplicate_row.csv, row 6, column 'period': repeat of row 3 (same partner, service, measure, breakdown, period and value). Fix: delete the repeated row."],
    'duplicated_column.csv': ["duplicated_column.csv, row 1, column 'unit': column 'unit' appears twice in the header (columns 7 and 10). Fix: delete or rename one of the two columns."],
    'empty.csv': ['empty.csv: the file is empty. Fix: start from data/partner_return_template.csv: a header row and one row per figure.'],
    'header_only.csv': ['header_only.csv: the return has a header but no rows. Fix: add one row per figure below the header.'],
    'latin1.csv': ["latin1.csv, row 3: the file is not UTF-8: byte 0xe9 (probably 'é') looks like Windows-1252 (cp1252) text. Fix: re-save as UTF-8 (in Excel: 'Save as' > 'CSV UTF-8')."],
    'missing_column.csv': ["missing_column.csv, row 1, column 'period': required column 'period' is missing. Fix: use the header of data/partner_return_template.csv: partner,service,measure,breakdown,period,value,unit,target,polarity,source."],
    'months_do_not_add_up_to_quarter.csv': ["months_do_not_add_up_to_quarter.csv, rows 2-5, column 'value': IDAS, Community-based support (hub), idas_hub_enquiries, Q3 2023/24: the printed total (2,591) is 100 more than the sum of its parts, the three months (2,491). Fix: correct the total or the part that is wrong; until then the report shows both figures and uses neither silently."],
    'percent_over_100.csv': ["percent_over_100.csv, row 3, column 'value': value 108 is not a percentage from 0 to 100. Fix: write the percentage as a number from 0 to 100, without '%'."],
    'period_calendar_quarter.csv': ["period_calendar_quarter.csv, row 3, column 'period': period '2023 Q3' is not a month (YYYY-MM), a financial quarter (Qn YYYY/YY) or a financial year (YYYY/YY). Fix: write a month as YYYY-MM (2023-10), a financial quarter as Qn YYYY/YY (Q3 2023/24; 2023/24 Q3 is read too) or a financial year as YYYY/YY (2023/24)."],
    'period_month_name.csv': ["period_month_name.csv, row 3, column 'period': period 'October 2023' is not a month (YYYY-MM), a financial quarter (Qn YYYY/YY) or a financial year (YYYY/YY). Fix: write a month as YYYY-MM (2023-10), a financial quarter as Qn YYYY/YY (Q3 2023/24; 2023/24 Q3 is read too) or a financial year as YYYY/YY (2023/24)."],
    'quarters_do_not_add_up_to_year.csv': ["quarters_do_not_add_up_to_year.csv, rows 2-6, column 'value': North Yorkshire Police, Recorded crime, da_related_crimes, 2022/23: the printed total (6,387) is 100 more than the sum of its parts, the four quarters (6,287). Fix: correct the total or the part that is wrong; until then the report shows both figures and uses neither silently."],
    'renamed_column.csv': ["renamed_column.csv, row 1, column 'measure': required column 'measure' is missing; the closest column in the file is 'measures'. Fix: rename 'measures' to 'measure'."],
    'too_many_cells.csv': ['too_many_cells.csv, row 3: this row has 11 cells but the header has 10 columns. Fix: check for an unquoted comma in a text field (quote the field).'],
    'unit_mismatch.csv': ["unit_mismatch.csv, row 3, column 'unit': unit 'people' does not match the unit of measure 'idas_hub_enquiries' ('count'). Fix: use 'count', or the measure that counts a number of people (whole number)."],
    'unknown_measure.csv': ["unknown_measure.csv, row 3, column 'measure': unknown measure 'hub_enquries' (did you mean 'idas_hub_enquiries'?). Fix: use a measure code listed in data/README.md (partner-return format), or add the measure to the catalogue."],
    'value_less_than.csv': ["value_less_than.csv, row 3, column 'value': value '<5' is not a number. Fix: write the figure as a plain number (no text, '%' sign or '<5'); 0 if there were none."],
    'value_negative.csv': ["value_negative.csv, row 3, column 'value': value -3 is not a whole number of 0 or more (unit 'count'). Fix: correct the figure."],
    'value_not_a_number.csv': ["value_not_a_number.csv, row 3, column 'value': value 'n/a' is not a number. Fix: write the figure as a plain number (no text, '%' sign or '<5'); 0 if there were none."],
    'wrong_sheet.xlsx': ["wrong_sheet.xlsx: the workbook has no sheet named 'return' (its sheets: Sheet1). Fix: put the rows on a sheet named 'return' as in data/partner_return_template.xlsx."],}


def test_corpus_is_complete():
    files = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx"))
    assert files == sorted(CASES)
    assert len(CASES) >= 12


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_gives_exact_messages(name):
    messages = [m.replace(str(CORPUS) + "/", "") for m in check_partner_return(CORPUS / name)]
    assert messages == CASES[name]


FILE_LEVEL = {"duplicated_column.csv", "empty.csv", "header_only.csv", "latin1.csv",
              "missing_column.csv", "renamed_column.csv", "too_many_cells.csv", "wrong_sheet.xlsx"}


@pytest.mark.parametrize("name", sorted(set(CASES) - FILE_LEVEL))
def test_corpus_rows_are_accounted_for(name):
    accounted = read_partner_returns(CORPUS / name)
    assert accounted.rows_in == len(accounted.clean) + len(accounted.quarantine)
    assert accounted.rows_in == sum(1 for _ in csv.reader(io.StringIO(
        (CORPUS / name).read_text()))) - 1
    assert list(accounted.quarantine["reason"]) == [
        m.split(": ", 1)[1].split(". Fix:")[0] for m in accounted.notes["messages"]]


def test_breakdown_that_does_not_add_up_keeps_both_figures():
    accounted = read_partner_returns(CORPUS / "breakdown_does_not_add_up.csv")
    assert len(accounted.quarantine) == 0
    check = accounted.notes["reconciliation"].iloc[0]
    assert (check["published_total"], check["sum_of_parts"], bool(check["matches"])) == (
        1627, 1626, False)
    assert sorted(accounted.clean["value"]) == [1, 5, 30, 160, 1430, 1627]


def test_reconciliation_agrees_with_the_trend_module():
    """Second method: sna.stats.trend.reconcile_totals on the same parts and totals."""
    accounted = read_partner_returns(SHIPPED)
    clean = accounted.notes["reconciliation"]
    for _, row in clean.iterrows():
        mine = accounted.clean[(accounted.clean["measure"] == row["measure"])]
        assert row["parts"] >= 2
        other = reconcile_totals([row["sum_of_parts"]], row["published_total"])
        assert other.difference == row["difference"]
        assert other.matches == row["matches"]
        assert len(mine) >= row["parts"]
    mismatched = clean[~clean["matches"]][["measure", "published_total", "sum_of_parts"]]
    assert mismatched.values.tolist() == [
        ["da_related_crimes", 6387.0, 6287.0],
        ["idas_hub_individuals", 1627.0, 1626.0],
        ["idas_helpline_professional_calls", 166.0, 161.0]]


def test_shipped_conversion_is_what_convert_published_makes():
    expected = convert_published(PUBLISHED, **PUBLISHED_NAMES)
    shipped = pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(shipped, expected)
    assert list(shipped.columns) == list(COLUMNS)


def test_conversion_keeps_every_published_figure():
    """Every number of the published tables is in the conversion, once, as printed."""
    rows = convert_published(PUBLISHED, **PUBLISHED_NAMES)
    da = pd.read_csv(PUBLISHED / "da_related_crimes_quarterly.csv")
    hub = pd.read_csv(PUBLISHED / "idas_hub_enquiries_monthly.csv")
    hardening = pd.read_csv(PUBLISHED / "idas_target_hardening_q3_2023_24.csv")
    perpetrators = pd.read_csv(PUBLISHED / "perpetrator_service_referrals_q3.csv")
    safe = pd.read_csv(PUBLISHED / "idas_safe_accommodation_q3_2023_24.csv")
    text = pd.read_csv(PUBLISHED / "idas_q3_2023_24_text_figures.csv")
    measure = rows["measure"]
    assert (measure == "da_related_crimes").sum() == len(da) + da["financial_year"].nunique()
    assert (measure == "idas_hub_enquiries").sum() == len(hub) + 1
    assert (measure == "target_hardening_items").sum() == len(hardening)
    assert (measure == "perpetrator_referrals").sum() == len(perpetrators)
    safe_measures = measure.isin(["idas_helpline_enquiries", "idas_helpline_professional_calls",
                                  "idas_safe_accommodation_referrals"])
    # caller rows, plus the professional total repeated as its sector breakdown's total
    assert safe_measures.sum() == len(safe) + 1 + 1
    assert len(rows) == (len(da) + 3 + len(hub) + len(text) + len(safe) + 1
                         + 2 * len(hardening) + len(perpetrators))
    accounted = read_partner_returns(SHIPPED)
    assert accounted.rows_in == len(accounted.clean) == len(rows)


def test_templates_pass_every_check(tmp_path):
    assert check_partner_return(ROOT / "data" / "partner_return_template.csv") == []
    assert check_partner_return(ROOT / "data" / "partner_return_template.xlsx") == []
    csv_copy = write_template_csv(tmp_path / "t.csv")
    assert csv_copy.read_bytes() == (ROOT / "data" / "partner_return_template.csv").read_bytes()
    xlsx = write_template_xlsx(tmp_path / "t.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    assert book.sheetnames == ["return", "measures", "guide"]
    assert [c.value for c in book["return"][1]] == list(COLUMNS)
    assert book["measures"].max_row == len(measures()) + 1


def test_xlsx_return_is_read_like_csv(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "return"
    sheet.append(list(COLUMNS))
    sheet.append(["IDAS", "Hub", "idas_hub_enquiries", "all", "2023-10", 867, "count", None,
                  None, "x"])
    sheet.append([None] * 10)
    book.save(tmp_path / "r.xlsx")
    accounted = read_partner_returns(tmp_path / "r.xlsx")
    assert accounted.rows_in == 1 and accounted.clean["value"].tolist() == [867.0]


def test_same_figure_in_two_files_is_a_repeat(tmp_path):
    first = tmp_path / "a.csv"
    second = tmp_path / "b.csv"
    text = (CORPUS / "duplicate_row.csv").read_text().splitlines()
    first.write_text("\n".join(text[:3]) + "\n")
    second.write_text("\n".join([text[0], text[2]]) + "\n")
    accounted = read_partner_returns([first, second])
    assert accounted.rows_in == 3 and len(accounted.quarantine) == 1
    assert accounted.quarantine["reason"].iloc[0].startswith("repeat of a.csv row 3")


@pytest.mark.parametrize("text,label,kind", [
    ("2023-10", "2023-10", "month"), ("2023/24 Q3", "Q3 2023/24", "quarter"),
    ("Q3 2023/24", "Q3 2023/24", "quarter"), ("2023/24", "2023/24", "year"),
    ("1999/00", "1999/00", "year")])
def test_periods(text, label, kind):
    period = parse_period(text)
    assert (period.label, period.kind) == (label, kind)


@pytest.mark.parametrize("text", ["2023 Q3", "2023/25", "2023-13", "Oct 2023", "2023/24 Q5", ""])
def test_bad_periods(text):
    with pytest.raises(SnaInputError, match="is not a month"):
        parse_period(text)


@given(st.integers(1990, 2090), st.integers(1, 4))
def test_quarter_labels_round_trip(start, quarter):
    """Both orders are read; the label is the library's one (sna.periods.period_label)."""
    from sna.periods import period_label

    label = f"Q{quarter} {start}/{(start + 1) % 100:02d}"
    other = f"{start}/{(start + 1) % 100:02d} Q{quarter}"
    period = parse_period(label)
    assert period.label == label == parse_period(other).label == period_label(period.period)
    assert parse_period(period.financial_year).kind == "year"
    months = pd.period_range(period.period.start_time, period.period.end_time, freq="M")
    assert len(months) == 3 and months[0].month == [4, 7, 10, 1][quarter - 1]


CELL = st.one_of(st.sampled_from(["", "all", "2023-10", "2023/24 Q3", "867", "-1", "x", "1.5",
                                  "idas_hub_enquiries", "count", "people", "up", "sex: f",
                                  "percent", "2023/24", '"', ","]),
                 st.text(max_size=6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELL, min_size=10, max_size=10), min_size=1, max_size=6))
def test_fuzzed_returns_fail_only_with_input_errors(tmp_path, rows):
    path = tmp_path / "fuzz.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        accounted = read_partner_returns(path)
    except SnaInputError as err:
        assert str(err).startswith(str(path))
        return
    assert accounted.rows_in == len(accounted.clean) + len(accounted.quarantine)
    assert len(accounted.notes["messages"]) == len(accounted.quarantine)
