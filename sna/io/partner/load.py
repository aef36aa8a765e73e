"""Load the partner files a report names; a file that is not there is a named gap.

:func:`load_partner_data` reads every configured source with its reader and returns a
:class:`PartnerData`: the accounted tables, the gaps (source -> why it is missing) and a
row-accounting table. A *missing* file never stops the report; a *broken* file does (with
the reader's message), because a figure from a misread file would be wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sna.io.accounting import Accounted
from sna.paths import repo_root

__all__ = [
    "PartnerData",
    "load_partner_data",
]

SHIPPED = "data/raw/shipped/partner/"

SOURCES: dict[str, dict] = {
    "assessment_factors": {
        "title": "Children in need: factors identified at the end of assessment",
        "publisher": "DfE (Explore Education Statistics), OGL v3.0",
        "default": SHIPPED + "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv.gz",
        "measures": ["Episodes_with_assessment_factor", "Going_missing",
                     "Child_sexual_exploitation", "Child_criminal_exploitation", "Trafficking",
                     "Gangs", "Domestic_Abuse_child", "Domestic_Abuse_parent",
                     "Domestic_Abuse_person", "Physical_Abuse_child_on_child",
                     "Sexual_Abuse_child_on_child", "Alcohol_Misuse_child",
                     "Drug_Misuse_child"]},
    "children_looked_after": {
        "title": "Children looked after: numbers, rates and child population (0-17)",
        "publisher": "DfE (Explore Education Statistics), OGL v3.0",
        "default": SHIPPED + "cla_number_and_rate_per_10k_children.csv.gz",
        "measures": ["population_estimate", "children_count", "rate_per_10000"]},
    "cla_convictions": {
        "title": "Outcomes for children looked after: convictions and youth cautions, ages 10-17",
        "publisher": "DfE (Explore Education Statistics), OGL v3.0",
        "default": SHIPPED + "la_conviction_health_outcome_cla.csv.gz",
        "measures": ["children_count", "children_percent"]},
    "absence_social_care": {
        "title": "Absence of children in need, on a protection plan or looked after",
        "publisher": "DfE (Explore Education Statistics), OGL v3.0",
        "default": SHIPPED + "absence_la.csv.gz",
        "measures": ["t_pupils", "t_pupils_pa_10_exact", "pt_pupils_pa_10_exact"]},
    "statistical_neighbours": {
        "title": "Children's services statistical neighbours (April 2021)",
        "publisher": "DfE, OGL v3.0",
        "default": SHIPPED + "New_Statistical_Neighbour_Groupings_April_2021.csv.gz"},
    "child_injury_admissions": {
        "title": "Hospital admissions caused by injuries in children aged 0-14 (Fingertips 90284)",
        "publisher": "OHID Fingertips (Hospital Episode Statistics), OGL v3.0",
        "default": SHIPPED + "la_hospital_admissions_2324.csv.gz", "indicators": [90284]},
    "violence_admissions": {
        "title": "Hospital admissions for violence including sexual violence (Fingertips 11201)",
        "publisher": "OHID Fingertips (Hospital Episode Statistics), OGL v3.0",
        "default": "data/raw/fingertips/fingertips_11201_area_type_502.csv.gz",
        "indicators": [11201]},
    "dfe_moj_school": {
        "title": "Education, children's social care and offending: school experiences",
        "publisher": "DfE and MoJ, OGL v3.0",
        "default": SHIPPED + "2023_03_16_OFFSEN_SchoolExp.xlsx",
        "sheets": ["EverSusExcl", "EverAP", "EverPAPAUO"]},
    "dfe_moj_social_care": {
        "title": "Education, children's social care and offending: children's social care",
        "publisher": "DfE and MoJ, OGL v3.0",
        "default": SHIPPED + "2023_03_16_OFFSEN_CSCExp.xlsx", "sheets": ["EverCINCLA"]},
    "dfe_moj_cohorts": {
        "title": "Education, children's social care and offending: cohort sizes",
        "publisher": "DfE and MoJ, OGL v3.0",
        "default": SHIPPED + "2023_03_16_OFSEN_Demographics.xlsx", "sheets": ["info_table"]},
    "ethnic_population": {
        "title": "Census 2021 usual residents by ethnic group, upper-tier LA",
        "publisher": "ONS, OGL v3.0",
        "default": SHIPPED + "ons-ethnic-population-la.csv.gz"},
}
"""Every partner source the SVD report can use: title, publisher and default file."""


@dataclass
class PartnerData:
    """Partner tables read for a report, the gaps, and the files behind them.

    Attributes
    ----------
    tables : dict
        Source (or ``source:sheet``) -> :class:`~sna.io.accounting.Accounted`.
    gaps : dict
        Source -> why it is not available (file not configured / not found).
    files : dict
        Source -> the path read (relative to the project root where possible).
    """

    tables: dict[str, Accounted] = field(default_factory=dict)
    gaps: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> pd.DataFrame | None:
        """The clean rows of a table, or None when it is a gap."""
        table = self.tables.get(name)
        return None if table is None else table.clean

    def has(self, name: str) -> bool:
        """True when the table was read."""
        return name in self.tables

    def accounting(self) -> pd.DataFrame:
        """Rows in, used and set aside (with the reasons) for every table read."""
        rows = []
        for name, table in self.tables.items():
            reasons = "; ".join(f"{reason}: {n}" for reason, n in
                                table.quarantine["reason"].value_counts().sort_index().items())
            rows.append({"Source": name, "File": self.files.get(name.split(":")[0], ""),
                         "Rows in": table.rows_in, "Rows used": len(table.clean),
                         "Rows set aside": len(table.quarantine),
                         "Why set aside": reasons or "-"})
        return pd.DataFrame(rows, columns=["Source", "File", "Rows in", "Rows used",
                                           "Rows set aside", "Why set aside"])

    def name_to_code(self) -> dict[str, str]:
        """LA name -> area code as published before 2023 (for areas named, not coded)."""
        frame = self.get("assessment_factors")
        if frame is None:
            return {}
        las = frame[frame["geographic_level"] == "Local authority"].sort_values("time_period")
        first = las.drop_duplicates("area_name", keep="first")
        return dict(zip(first["area_name"], first["area_code_as_published"], strict=True))


def _read(name: str, spec: dict, path: Path, data: PartnerData) -> None:
    from sna.io.partner.dfe import read_ees_csv, read_statistical_neighbours
    from sna.io.partner.dfe_moj import read_dfe_moj_cohorts, read_dfe_moj_sheet
    from sna.io.partner.fingertips import read_fingertips_export
    from sna.io.partner.ons import read_ethnic_population

    if "measures" in spec:
        data.tables[name] = read_ees_csv(path, spec["measures"])
    elif name == "statistical_neighbours":
        data.tables[name] = read_statistical_neighbours(path)
    elif "indicators" in spec:
        data.tables[name] = read_fingertips_export(path, indicator_ids=spec["indicators"])
    elif name == "ethnic_population":
        data.tables[name] = read_ethnic_population(path)
    elif name == "dfe_moj_cohorts":
        data.tables[name] = read_dfe_moj_cohorts(path, name_to_code=data.name_to_code())
    else:
        for sheet in spec["sheets"]:
            data.tables[f"{name}:{sheet}"] = read_dfe_moj_sheet(path, sheet,
                                                                name_to_code=data.name_to_code())


def load_partner_data(*, files: dict[str, str] | None = None, root: str | Path | None = None
                      ) -> PartnerData:
    """Read the partner files; a source with no file is recorded as a gap, not an error.

    Parameters
    ----------
    files : dict, optional
        Source name (a key of :data:`SOURCES`) -> path relative to ``root`` (or absolute).
        A source left out uses its default file; a source given as ``""`` is "not supplied".
    root : str or Path, optional
        Folder paths are relative to; default the project root.

    Returns
    -------
    PartnerData

    Raises
    ------
    SnaInputError
        An unknown source name, or a file that exists but cannot be read as its source.

    Examples
    --------
    >>> data = load_partner_data(files={"violence_admissions": "no/such/file.csv"})
    >>> data.gaps["violence_admissions"]
    'file not found: no/such/file.csv'
    >>> data.tables["child_injury_admissions"].rows_in
    2158
    """
    from sna.errors import SnaInputError

    root = Path(root) if root is not None else repo_root()
    files = dict(files or {})
    unknown = sorted(set(files) - set(SOURCES))
    if unknown:
        raise SnaInputError(f"unknown partner source '{unknown[0]}'", column="partner_files",
                            value=unknown[0],
                            fix=f"use one of: {', '.join(SOURCES)}")
    data = PartnerData()
    for name, spec in SOURCES.items():
        given = files.get(name, spec["default"])
        if not given:
            data.gaps[name] = "not supplied (no file given)"
            continue
        path = Path(given) if Path(given).is_absolute() else root / given
        data.files[name] = str(given)
        if not path.exists():
            data.gaps[name] = f"file not found: {given}"
            continue
        _read(name, spec, path, data)
    return data
