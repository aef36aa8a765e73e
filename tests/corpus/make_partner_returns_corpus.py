"""Write the broken partner returns of the validator's corpus (run once; files are committed).

Each file starts from real rows of the shipped conversion of the partnership's published
returns and breaks one thing; ``tests/unit/io/test_partner_returns.py`` holds the exact
message each must give.
"""

from pathlib import Path

HERE = Path(__file__).parent / "partner_returns"
HEADER = "partner,service,measure,breakdown,period,value,unit,target,polarity,source"
HUB = "IDAS,Community-based support (hub)"
ROWS = [
    f"{HUB},idas_hub_enquiries,all,2023-10,867,count,,,published",
    f"{HUB},idas_hub_enquiries,all,2023-11,887,count,,,published",
    f"{HUB},idas_hub_enquiries,all,2023-12,737,count,,,published",
    f"{HUB},idas_hub_enquiries,all,2023/24 Q3,2491,count,,,published",
]


def write(name: str, lines: list[str], header: str = HEADER, encoding: str = "utf-8") -> None:
    text = "\n".join([header, *lines]) + "\n"
    (HERE / name).write_bytes(text.encode(encoding))


def with_row(row: str) -> list[str]:
    return [*ROWS[:1], row]


def main() -> None:
    write("unknown_measure.csv", with_row(f"{HUB},hub_enquries,all,2023-11,887,count,,,x"))
    write("period_calendar_quarter.csv", with_row(f"{HUB},idas_hub_enquiries,all,2023 Q3,2491,"
                                                  "count,,,x"))
    write("period_month_name.csv", with_row(f"{HUB},idas_hub_enquiries,all,October 2023,867,"
                                            "count,,,x"))
    write("value_not_a_number.csv", with_row(f"{HUB},idas_hub_enquiries,all,2023-11,n/a,count,"
                                             ",,x"))
    write("value_less_than.csv", with_row(f"{HUB},idas_hub_enquiries,all,2023-11,<5,count,,,x"))
    write("value_negative.csv", with_row(f"{HUB},idas_hub_enquiries,all,2023-11,-3,count,,,x"))
    write("percent_over_100.csv", with_row(f"{HUB},idas_hub_outcome_share,outcome: declined "
                                           "support,2023/24 Q3,108,percent,,,x"))
    write("unit_mismatch.csv", with_row(f"{HUB},idas_hub_enquiries,all,2023-11,887,people,,,x"))
    write("bad_polarity.csv", with_row(f"{HUB},idas_hub_enquiries,all,2023-11,887,count,,"
                                       "higher,x"))
    write("bad_breakdown.csv", with_row(f"{HUB},idas_hub_individuals,female,2023/24 Q3,1430,"
                                        "people,,,x"))
    write("blank_value.csv", with_row(f"{HUB},idas_hub_enquiries,all,2023-11,,count,,,x"))
    write("bad_target.csv", with_row(f"{HUB},idas_hub_enquiries,all,2023-11,887,count,about 900"
                                     ",,x"))
    write("blank_partner.csv", with_row(",Community-based support (hub),idas_hub_enquiries,all,"
                                        "2023-11,887,count,,,x"))
    write("duplicate_row.csv", [*ROWS, ROWS[1]])
    write("conflicting_rows.csv", [*ROWS, ROWS[1].replace(",887,", ",878,")])
    write("breakdown_does_not_add_up.csv", [
        f"{HUB},idas_hub_individuals,all,2023/24 Q3,1627,people,,,published",
        f"{HUB},idas_hub_individuals,sex: female,2023/24 Q3,1430,people,,,published",
        f"{HUB},idas_hub_individuals,sex: male,2023/24 Q3,160,people,,,published",
        f"{HUB},idas_hub_individuals,sex: non-binary,2023/24 Q3,5,people,,,published",
        f"{HUB},idas_hub_individuals,sex: declined to say,2023/24 Q3,1,people,,,published",
        f"{HUB},idas_hub_individuals,sex: not recorded,2023/24 Q3,30,people,,,published"])
    write("quarters_do_not_add_up_to_year.csv", [
        f"North Yorkshire Police,Recorded crime,da_related_crimes,all,2022/23 Q{q},{n},count,,,"
        "table 3.6" for q, n in zip((1, 2, 3, 4), (1573, 1778, 1501, 1435), strict=True)]
        + ["North Yorkshire Police,Recorded crime,da_related_crimes,all,2022/23,6387,count,,,"
           "table 3.6"])
    write("months_do_not_add_up_to_quarter.csv", [*ROWS[:3], ROWS[3].replace("2491", "2591")])
    write("missing_column.csv", [",".join(r.split(",")[:4] + r.split(",")[5:]) for r in ROWS],
          header=HEADER.replace("period,", ""))
    write("renamed_column.csv", ROWS, header=HEADER.replace("measure,", "measures,"))
    write("duplicated_column.csv", ROWS, header=HEADER.replace("source", "unit"))
    write("empty.csv", [], header="")
    write("header_only.csv", [])
    write("latin1.csv", with_row(f"{HUB},idas_hub_enquiries,all,2023-11,887,count,,,Caf\u00e9 "
                                 "return"), encoding="latin-1")
    write("too_many_cells.csv", with_row(f"{HUB},idas_hub_enquiries,all,2023-11,887,count,,,x,"
                                         "extra"))
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet1"
    book.active.append(HEADER.split(","))
    book.active.append(ROWS[0].split(","))
    book.save(HERE / "wrong_sheet.xlsx")


if __name__ == "__main__":
    main()
