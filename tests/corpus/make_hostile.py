"""Write the hostile-input corpus of issue 20 (run once; the files are committed).

Each case breaks one thing an attacker or an unlucky operator would; the expected outcome of
every case is in tests/unit/test_hostile_corpus.py (CASES.md lists them).
"""

import gzip
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).parent / "hostile"
SRC = Path(__file__).parents[2] / "data/raw/shipped/police_uk/north-yorkshire"
TEMPLATE = Path(__file__).parents[2] / "data/force_extract_template.csv"
M = "2025-01-north-yorkshire-street.csv"


def street_text(n=6):
    lines = gzip.decompress((SRC / f"{M}.gz").read_bytes()).decode().splitlines()
    return lines[0], lines[1: n + 1]


def write(path, data):
    path = HERE / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 2, 1, 0, 0, 0))
            info.compress_type = compression
            archive.writestr(info, data)
    return buf.getvalue()


def main():
    header, rows = street_text()
    text = header + "\n" + "\n".join(rows) + "\n"
    # 1. Double counting: one force-month from two places.
    write(f"dup_two_folders/a/{M}", text)
    write(f"dup_two_folders/b/{M}", text)
    write(f"dup_zip_and_folder/folder/{M}", text)
    write("dup_zip_and_folder/2025-01.zip", zip_bytes({f"2025-01/{M}": text}))
    write(f"dup_csv_and_gz/{M}", text)
    write(f"dup_csv_and_gz/{M}.gz", gzip.compress(text.encode(), mtime=0))
    write(f"dup_differ/a/{M}", text)
    write(f"dup_differ/b/{M}", header + "\n" + "\n".join(rows[:3]) + "\n")
    # 7. Bombs (20 MiB of newlines / zeros from a few KiB) and blank lines.
    write(f"gzip_bomb/{M}.gz", gzip.compress(b"\n" * (20 * 2**20), 9, mtime=0))
    write("zip_bomb.zip", zip_bytes({f"2025-01/{M}": b"0" * (20 * 2**20)}))
    write(f"blank_lines/{M}", header + "\n" + rows[0] + "\n\n\r\n" + rows[1] + "\n\n" +
          "only,three,fields\n")
    # Other tracebacks: a folder named like a street file, encrypted and bad-CRC members.
    write(f"dir_named_like_file/{M}/README.txt", "a folder, not a file\n")
    write("dir_named_like_file/2025-02-north-yorkshire-street.csv",
          text.replace("2025-01", "2025-02"))
    encrypted = bytearray(zip_bytes({f"2025-01/{M}": text}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set "encrypted"
        at = bytes(encrypted).index(signature) + offset
        encrypted[at] |= 0x01
    write("encrypted_member.zip", bytes(encrypted))
    stored = bytearray(zip_bytes({f"2025-01/{M}": text}, compression=zipfile.ZIP_STORED))
    at = bytes(stored).index(rows[0].encode()) + 10
    stored[at] ^= 0x01
    write("bad_crc_member.zip", bytes(stored))
    blank_force = rows[0].split(",")
    blank_force[3] = ""
    write(f"blank_falls_within/{M}", header + "\n" + ",".join(blank_force) + "\n")
    write(f"utf16/{M}", text.encode("utf-16"))
    # Force extract.
    template = TEMPLATE.read_text(encoding="utf-8")
    lines = template.splitlines()
    write("extract_blank_lines.csv.gz", gzip.compress(
        (lines[0] + "\n" + lines[1] + "\n" + "\n" * 5_000 + ",,,,\n" * 50 + lines[2] + "\n")
        .encode(), 9, mtime=0))
    write("extract_newline_bomb.csv.gz",
          gzip.compress((lines[0] + "\n").encode() + b"\n" * (20 * 2**20), 9, mtime=0))
    old = lines[1].split(",")
    date_col = lines[0].split(",").index("offence_date")
    ref_col = lines[0].split(",").index("crime_ref")
    old[date_col], old[ref_col] = "1900-01-01", "OLD1"
    future = lines[1].split(",")
    future[date_col], future[ref_col] = "2099-06-01", "FUT1"
    write("extract_dates_out_of_window.csv",
          "\n".join([lines[0], lines[1], ",".join(old), ",".join(future)]) + "\n")
    short = lines[1].split(",")
    short[ref_col] = "SHORT1"
    write("extract_short_row.csv", "\n".join([lines[0], lines[1], ",".join(short[:-3])]) + "\n")
    write("extract_corrupt.csv.gz", gzip.compress(template.encode(), mtime=0)[:60])
    write("extract_utf16.csv", template.encode("utf-16"))
    # Params.
    write("params/svd_sna_duplicate_key.yaml", "min_count: 5\nconf: 0.95\nmin_count: 1\n")
    write("params/svd_sna_nested_unknown.yaml", "offence_groups:\n  Homicide: homicide\n")
    _unused = (
          "neighbours:\n  Cumbria Constabulary:\n    police_uk: data/raw/shipped/police_uk/"
          "cumbria\n    pfa24_cde: E23000002\n")
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, "
                    f"*{previous}, *{previous}, *{previous}, *{previous}, *{previous}]")
    write("params/svd_sna_alias_bomb.yaml", "\n".join(bomb) + "\n")  # 9**10 items
    write("params/svd_sna_month_13.yaml", 'last_month: "2025-13"\n')
    write("params/svd_sna_reversed.yaml", 'first_month: "2025-12"\nlast_month: "2024-01"\n')
    write("params/svd_sna_future.yaml", 'first_month: "2024-01"\nlast_month: "2099-12"\n')
    write("params/svd_sna_outside_data.yaml", "police_uk: data/raw/shipped/police_uk/north-yorkshire\n"
          'first_month: "2019-01"\nlast_month: "2019-12"\n')
    write("params/svd_sna_huge_min_count.yaml", "min_count: 1000000\n")
    write("params/svd_sna_published_not_csv.yaml",
          "published_da: tests/corpus/hostile/zip_bomb.zip\n")
    write("params/svd_sna_published_binary.yaml",
          "published_da: tests/corpus/hostile/binary.csv\n")
    write("binary.csv", b"\x00\x01\x02PK\x03\x04" * 20)
    write("params/svd_sna_extract_folder.yaml", "extract: data/raw/shipped/synthetic\n")


if __name__ == "__main__":
    main()
