"""Shared pieces of the byte-fuzzing property tests (imported by the test modules)."""

from __future__ import annotations

import gzip

from hypothesis import strategies as st

from sna.paths import raw_dir

NY_STREET_FILE = "2025-01-north-yorkshire-street.csv"


def valid_street_text(rows: int) -> str:
    """The header and first ``rows`` lines of a real shipped North Yorkshire street file."""
    path = raw_dir() / "shipped" / "police_uk" / "north-yorkshire" / (NY_STREET_FILE + ".gz")
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    return "\n".join(lines[: rows + 1]) + "\n"


def mutate(data: st.DataObject, raw: bytes, alphabet: bytes, *, delete: bool = False) -> bytes:
    """Up to six byte edits drawn by hypothesis: overwrite, insert (and delete) at random places."""
    edited = bytearray(raw)
    actions = ["flip", "insert", "delete"] if delete else ["flip", "insert"]
    for _ in range(data.draw(st.integers(0, 6))):
        pos = data.draw(st.integers(0, len(edited) - 1))
        action = data.draw(st.sampled_from(actions))
        byte = data.draw(st.sampled_from(list(alphabet)))
        if action == "flip":
            edited[pos] = byte
        elif action == "delete":
            del edited[pos]
        else:
            edited.insert(pos, byte)
    return bytes(edited)
