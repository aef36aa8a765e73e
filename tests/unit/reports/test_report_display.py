"""Display helpers: accessible, deterministic tables and text for report notebooks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sna.errors import SnaInputError
from sna.reports.display import format_cell, heading, markdown, synthetic_banner, table


def test_table_exact_html():
    frame = pd.DataFrame({"area": ["York", "Selby"], "offences": [12345, 7],
                          "rate": [3.14159, None]})
    expected = (
        '<table class="sna-table"><caption>Offences by area</caption>'
        '<thead><tr><th scope="col">area</th><th scope="col" class="sna-num">offences</th>'
        '<th scope="col" class="sna-num">rate</th></tr></thead><tbody>'
        '<tr><td>York</td><td class="sna-num">12,345</td><td class="sna-num">3.1</td></tr>'
        '<tr><td>Selby</td><td class="sna-num">7</td><td class="sna-num">–</td></tr>'
        '</tbody></table><p class="sna-table-note">Rate per 1,000.</p>'
    )
    assert table(frame, caption="Offences by area", note="Rate per 1,000.").data == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "text"),
    [
        (1234567, {}, "1,234,567"),
        (-1234, {}, "-1,234"),
        (np.int64(98765), {}, "98,765"),
        (0, {}, "0"),
        (1234.5678, {"decimals": 2}, "1,234.57"),
        (np.float64(0.05), {"decimals": 0}, "0"),
        (2.5, {"decimals": 0}, "2"),  # Python's round-half-even, as str.format does
        (None, {}, "–"),
        (np.nan, {"na": "suppressed"}, "suppressed"),
        (pd.NA, {"na": "suppressed"}, "suppressed"),
        (pd.NaT, {}, "–"),
        (True, {}, "True"),
        ("York", {}, "York"),
    ],
)
def test_format_cell(value, kwargs, text):
    assert format_cell(value, **kwargs) == text


def test_na_text_and_nullable_integers():
    frame = pd.DataFrame({"count": pd.array([1200, None], dtype="Int64"),
                          "strand": pd.array(["race", None], dtype="str")})
    page = table(frame, caption="c", na="suppressed").data
    assert '<td class="sna-num">1,200</td>' in page
    assert page.count(">suppressed</td>") == 2


def test_per_column_decimals_and_escaping():
    frame = pd.DataFrame({"<b>name</b>": ["a & b"], "x": [1.23456], "y": [1.23456]})
    page = table(frame, caption="<caption>", decimals={"x": 3}).data
    assert "<caption>&lt;caption&gt;</caption>" in page
    assert "&lt;b&gt;name&lt;/b&gt;" in page and "<td>a &amp; b</td>" in page
    assert '<td class="sna-num">1.235</td><td class="sna-num">1.2</td>' in page


def test_index_is_shown_as_row_headers_when_meaningful():
    frame = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["York", "Selby"], name="area"))
    page = table(frame, caption="c").data
    assert '<th scope="col">area</th><th scope="col" class="sna-num">n</th>' in page
    assert '<tr><th scope="row">York</th><td class="sna-num">1</td></tr>' in page
    assert 'scope="row"' not in table(frame.reset_index(), caption="c").data
    assert 'scope="row"' not in table(frame, caption="c", index=False).data


def test_multiindex_columns_are_joined():
    frame = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("2024", "n"),
                                                                      ("2025", "n")]))
    page = table(frame, caption="c").data
    assert ('<th scope="col" class="sna-num">2024 / n</th>'
            '<th scope="col" class="sna-num">2025 / n</th>') in page


def test_whole_number_columns_show_no_decimals_text_left_numbers_right():
    frame = pd.DataFrame({"District": ["York", "Selby"], "Offences": [6002.0, None],
                          "Residents": [202827.0, 91976.0], "Per 1,000": [29.59, 22.27]})
    page = table(frame, caption="c", decimals=2).data
    assert "6,002.00" not in page and ">6,002<" in page and ">202,827<" in page
    assert ">29.59<" in page and "<td>York</td>" in page
    assert '<th scope="col">District</th>' in page
    assert '<th scope="col" class="sna-num">Offences</th>' in page
    # a column named in the decimals mapping keeps its decimals even when whole
    assert ">2.00<" in table(pd.DataFrame({"ratio": [2.0]}), "c", decimals={"ratio": 2}).data


def test_no_note_no_paragraph_and_output_is_deterministic():
    frame = pd.DataFrame({"a": [1.5]})
    assert table(frame, caption="c").data == table(frame, caption="c").data
    assert "<p" not in table(frame, caption="c").data


def test_markdown_heading_banner():
    assert markdown("\n    # Title\n    text\n").data == "# Title\ntext"
    assert heading("Selby & York").data == "## Selby & York"
    assert heading("x", level=1).data == "# x"
    banner = synthetic_banner().data
    assert 'role="note"' in banner and "SYNTHETIC DEMO DATA" in banner
    assert "&lt;b&gt;" in synthetic_banner(text="<b>").data


@pytest.mark.parametrize("level", [0, 7, 2.0, True, "2"])
def test_heading_level_is_checked(level):
    with pytest.raises(SnaInputError) as caught:
        heading("x", level=level)
    assert caught.value.column == "level"
