"""Write the bad-input corpus of partner files (run once; the files are committed).

Each file starts from real rows of a shipped partner file (data/raw/shipped/partner/) in its
published layout and breaks one thing. Run: python tests/corpus/make_partner_corpus.py
"""

import csv
import gzip
import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent / "partner"
SRC = Path(__file__).parents[2] / "data/raw/shipped/partner"


def lines(name, keep, n=4):
    text = gzip.decompress((SRC / name).read_bytes()).decode("utf-8-sig")
    rows = text.splitlines()
    return rows[0], [r for r in rows[1:] if keep(r)][:n]


def write(name, text, encoding="utf-8"):
    (HERE / name).write_bytes(text.encode(encoding) if isinstance(text, str) else text)


def set_field(line, header, column, value):
    cells = next(csv.reader([line]))
    cells[header.split(",").index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def ees():
    header, rows = lines("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv.gz",
                         lambda r: ",North Yorkshire," in r or ",York," in r, n=16)
    latest = [r for r in rows if r.startswith("2025")]
    old_ny = [r for r in rows if r.startswith("2022") and "E10000023" in r]
    body = "\n".join(latest) + "\n"
    write("ees_moved_header.csv", "Children in need: factors at end of assessment\n"
          "Source: DfE\n" + header + "\n" + body)
    write("ees_e10000023.csv", header + "\n" + "\n".join(latest + old_ny) + "\n")
    write("ees_duplicated_area.csv", header + "\n" + body + latest[0] + "\n")
    symbols = [set_field(latest[0], header, "Gangs", s) for s in ("c", "x", "z", "low", "u")]
    symbols = [set_field(r, header, "time_period", p) for r, p in
               zip(symbols, ["2021", "2020", "2019", "2018", "2017"], strict=True)]
    write("ees_suppression_symbols.csv", header + "\n" + "\n".join(symbols) + "\n")
    write("ees_unreadable_value.csv", header + "\n"
          + set_field(latest[0], header, "Gangs", "n/a") + "\n" + "\n".join(latest[1:]) + "\n")
    write("ees_renamed_column.csv", header.replace(",Gangs,", ",gangs_count,") + "\n" + body)
    write("ees_latin1.csv", header + "\n" + body.replace("North Yorkshire", "North Yorkshire é",
                                                          1), "latin-1")
    book = openpyxl.Workbook()
    book.active.append(header.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    write("ees_saved_as_workbook.csv", buffer.getvalue())


def fingertips():
    header, rows = lines("la_hospital_admissions_2324.csv.gz",
                         lambda r: ",E06000065," in r or ",E06000014," in r, n=40)
    latest = [r for r in rows if ",2023/24," in r]
    body = "\n".join(latest) + "\n"
    write("fingertips_moved_header.csv", "Hospital admissions for injuries\n" + header + "\n"
          + body)
    write("fingertips_duplicated_area.csv", header + "\n" + body + latest[0] + "\n")
    changed = set_field(latest[0], header, "Value", "99.9")
    write("fingertips_conflicting_duplicate.csv", header + "\n" + body + changed + "\n")
    old = set_field(set_field(latest[0], header, "Area Code", "E10000023"), header,
                    "Time period", "2019/20")
    write("fingertips_e10000023.csv", header + "\n" + body + old + "\n")
    suppressed = latest[0]
    for column in ("Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Lower CI 99.8 limit",
                   "Upper CI 99.8 limit", "Count"):
        suppressed = set_field(suppressed, header, column, "")
    suppressed = set_field(set_field(suppressed, header, "Value note",
                                     "Value suppressed for disclosure control due to small "
                                     "count"), header, "Time period", "2022/23")
    write("fingertips_suppressed.csv", header + "\n" + body + suppressed + "\n")
    write("fingertips_renamed_column.csv",
          header.replace("Lower CI 95.0 limit", "Lower CI 95 limit") + "\n" + body)
    write("fingertips_unreadable_value.csv", header + "\n"
          + set_field(latest[0], header, "Count", "about 400") + "\n" + body)


def workbook(name, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(HERE / name)


def dfe_moj():
    source = openpyxl.load_workbook(SRC / "2023_03_16_OFFSEN_SchoolExp.xlsx", read_only=True)
    rows = [r for r in source["EverSusExcl"].iter_rows(values_only=True)]
    source.close()
    header = rows[0]
    keep = [r for r in rows[1:] if r[0] in ("England", "North Yorkshire", "York")
            and r[1] == "Home"]
    workbook("dfe_moj_wrong_sheet.xlsx", {"EverSusExclusions": [header, *keep]})
    workbook("dfe_moj_moved_header.xlsx",
             {"EverSusExcl": [("Ever suspended or excluded, by cohort",), (), header, *keep]})
    blank = [tuple(None if i == 2 and r[0] == "York" else v for i, v in enumerate(r))
             for r in keep]
    workbook("dfe_moj_suppressed.xlsx", {"EverSusExcl": [header, *blank]})
    workbook("dfe_moj_duplicated_area.xlsx", {"EverSusExcl": [header, *keep, keep[-1]]})
    bad = [tuple("82%" if i == 2 and j == 0 else v for i, v in enumerate(r))
           for j, r in enumerate(keep)]
    workbook("dfe_moj_bad_percentage.xlsx", {"EverSusExcl": [header, *bad]})
    write("dfe_moj_csv_renamed.xlsx", "LA,indicator,perc,group\nYork,Home,82,All Pupils\n")


def main():
    HERE.mkdir(parents=True, exist_ok=True)
    ees()
    fingertips()
    dfe_moj()


if __name__ == "__main__":
    main()
