"""Readers of published partner data: one small module per source family.

- :mod:`sna.io.partner.fingertips`: OHID Fingertips indicator exports (and ``sna fetch``).
- :mod:`sna.io.partner.dfe`: DfE Explore Education Statistics CSVs and statistical neighbours.
- :mod:`sna.io.partner.dfe_moj`: DfE-MoJ "education, children's social care and offending"
  workbooks.
- :mod:`sna.io.partner.ons`: ONS Census 2021 population by ethnic group and LA.
- :mod:`sna.io.partner.load`: load the files a report names; a missing file is a named gap.

Every reader returns :class:`sna.io.accounting.Accounted` (rows in = rows used + rows set
aside with a reason) and raises :class:`sna.errors.SnaInputError` naming file, row, column and
fix. Published suppression symbols are read as missing, never zero, with the reason kept.
"""

__all__: list[str] = []
