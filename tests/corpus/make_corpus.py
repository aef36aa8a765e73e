"""Write the bad-input corpus of police.uk-style files (run once; the files are committed).

Each file starts from real rows of the shipped North Yorkshire 2025-01 file and breaks one thing.
"""

import gzip
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).parent / "police_uk"
SRC = Path(__file__).parents[2] / "data/raw/shipped/police_uk/north-yorkshire"


def real_lines(n=6):
    text = gzip.decompress((SRC / "2025-01-north-yorkshire-street.csv.gz").read_bytes()).decode()
    lines = text.splitlines()
    return lines[0], lines[1 : n + 1]


def write(name, text, encoding="utf-8"):
    (HERE / name).write_bytes(text.encode(encoding) if isinstance(text, str) else text)


def main():
    HERE.mkdir(parents=True, exist_ok=True)
    header, rows = real_lines()
    asb = [r for r in gzip.decompress((SRC / "2025-01-north-yorkshire-street.csv.gz").read_bytes())
           .decode().splitlines() if "Anti-social" in r][:1]
    body = "\n".join(rows) + "\n"
    m = "2025-01-north-yorkshire-street.csv"
    write(f"truncated__{m}", header + "\n" + body + rows[0][: len(rows[0]) // 3] + "\n")
    write(f"semicolon__{m}", header.replace(",", ";") + "\n" + body.replace(",", ";"))
    write(f"bom__{m}", "\ufeff" + header + "\n" + body)
    write(f"latin1__{m}", header + "\n" + body.replace("On or near", "On or near Café", 1), "latin-1")
    write(f"repeated_header__{m}", header + "\n" + body + header + "\n" + body)
    write(f"extra_column__{m}", header + ",Notes\n" + "\n".join(r + ",x" for r in rows) + "\n")
    write(f"missing_column__{m}", ",".join(header.split(",")[:-1]) + "\n"
          + "\n".join(r.rsplit(",", 1)[0] for r in rows) + "\n")
    write(f"renamed_column__{m}", header.replace("LSOA code", "LSOA Code 2021") + "\n" + body)
    write(f"duplicated_column__{m}", header.replace("LSOA name", "LSOA code") + "\n" + body)
    bad_xy = rows[0].split(",")
    bad_xy[4] = "abc"
    write(f"nonnumeric_coords__{m}", header + "\n" + ",".join(bad_xy) + "\n" + "\n".join(rows[1:]) + "\n")
    write("month_13__2023-13-north-yorkshire-street.csv", header + "\n" + body.replace("2025-01", "2023-13"))
    write(f"month_mismatch__{m}", header + "\n" + body.replace("2025-01", "2025-02"))
    bad_lsoa = rows[0].split(",")
    bad_lsoa[7] = "E0101"
    write(f"lsoa_shape__{m}", header + "\n" + ",".join(bad_lsoa) + "\n" + "\n".join(rows[1:]) + "\n")
    bad_type = rows[0].split(",")
    bad_type[9] = "Violent crime"
    write(f"unknown_crime_type__{m}", header + "\n" + ",".join(bad_type) + "\n" + "\n".join(rows[1:]) + "\n")
    write(f"empty__{m}", "")
    write(f"whitespace_only__{m}", "\n\n  \n")
    write(f"header_only__{m}", header + "\n")
    write(f"asb_and_no_location__{m}", header + "\n" + asb[0] + "\n"
          + ",2025-01,North Yorkshire Police,North Yorkshire Police,,,No location,,,Burglary,"
          "Under investigation,\n")
    one_coord = rows[0].split(",")
    one_coord[5] = ""
    write(f"one_coordinate__{m}", header + "\n" + ",".join(one_coord) + "\n")
    far = rows[0].split(",")
    far[5] = "123.0"
    write(f"coords_out_of_range__{m}", header + "\n" + ",".join(far) + "\n")
    write(f"tab_separated__{m}", header.replace(",", "\t") + "\n" + body.replace(",", "\t"))
    write(f"corrupt_gzip__{m}.gz", gzip.compress((header + "\n" + body).encode())[:40])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        pass
    write("empty.zip", buf.getvalue())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("2025-01/2025-01-north-yorkshire-outcomes.csv", "Crime ID,Month\n")
    write("outcomes_only.zip", buf.getvalue())
    write("not_a_zip.zip", b"this is not a zip archive")
    mixed = HERE / "mixed_forces"
    mixed.mkdir(exist_ok=True)
    (mixed / m).write_text(header + "\n" + body)
    other = body.replace("North Yorkshire Police", "Cumbria Constabulary")
    (mixed / "2025-01-cumbria-street.csv").write_text(header + "\n" + other)
    (HERE / "no_street_files").mkdir(exist_ok=True)
    (HERE / "no_street_files" / "README.txt").write_text("no data here\n")


if __name__ == "__main__":
    main()
