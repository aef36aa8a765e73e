"""Notebook-facing report objects: one per report, made once from the notebook's parameters.

A report notebook used to repeat the same context in every cell (the offences, the area's
name, the review month, ``conf``, the disclosure policy, the strands, the synthetic flag).
Each class here holds that context, loaded once by its ``from_params`` constructor, so a
cell reads ``review.geography()`` or ``assessment.where()``.

The objects are thin facades: every method calls one section function of
:mod:`sna.reports.hate_review`, :mod:`sna.reports.svd`, :mod:`sna.reports.svd_partners`,
:mod:`sna.reports.area_sections` or :mod:`sna.reports.performance` (the tested library
layer) with the report's context and returns what that function returns, a
:class:`~sna.reports.sections.Section` (or a :class:`~sna.reports.findings.ReportFrame`) that
displays itself. No statistics and no wording live here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from sna.io.area import Area
from sna.io.extract import DEFAULT_STRANDS
from sna.io.partner.load import PartnerData
from sna.reports import area_sections, hate_review, performance, svd, svd_partners
from sna.reports.findings import ReportFrame
from sna.reports.hate_review import HateReviewInputs, ReviewPeriods
from sna.reports.performance import PerformanceInputs
from sna.reports.sections import Section
from sna.reports.svd import SvdInputs
from sna.stats.disclosure import DisclosurePolicy

__all__ = ["HateReview", "PerformanceReport", "SvdAssessment"]


# ---------------------------------------------------------------- hate-crime review


@dataclass(frozen=True, kw_only=True)
class HateReview:
    """The annual hate-crime review of one area: its context, and one method per section.

    Make it with :meth:`from_params` from the notebook's parameters (that reads the force
    extract and the area's LSOAs once); each method returns the section of
    :mod:`sna.reports.hate_review` or :mod:`sna.reports.area_sections` of the same name.

    Attributes
    ----------
    area_name : str
        The area's name as printed (the councils' names when the parameter was empty).
    ltla24_codes : tuple of str
        The area's councils (LAD 2024 codes).
    inputs : HateReviewInputs
        The extract's rows, the area's LSOAs, the disclosure policy and the strands.
    last_month : str
        Last month of the review year, ``"YYYY-MM"``.
    conf : float, default 0.95
        Confidence level of every interval and test.
    trend_strands : tuple of str, default ("disability",)
        Strands whose gradual 12-month change is shown.
    subarea_name : str, default ""
        What the sub-areas are called in table headings (empty: derived).
    similar_k : int, default 10
        How many similar councils to list.
    similar_method : str, default "euclidean"
        The distance of :func:`sna.stats.similar_areas.similar_areas`.
    synthetic : bool, default True
        The extract is the synthetic demo: figures are labelled as demo data.

    Examples
    --------
    A review of a tiny hand-made extract (two months: too short for a trend, so that
    section says why it is not available instead of failing):

    >>> from sna.io.accounting import split_by_reason
    >>> rows = pd.DataFrame({"month": pd.PeriodIndex(["2025-11", "2025-12"], freq="M"),
    ...                      "hate_race": [True, False], "source_file": "x.csv",
    ...                      "source_row": [2, 3]})
    >>> accounted = split_by_reason(rows, pd.Series([None, None]))
    >>> inputs = HateReviewInputs(accounted, accounted.clean, pd.DataFrame(),
    ...                           DisclosurePolicy(min_count=10), ("race",), "x.csv")
    >>> review = HateReview(area_name="Testshire", ltla24_codes=("E06000063",),
    ...                     inputs=inputs, last_month="2025-12")
    >>> review.frame().title
    'Annual hate-crime review: Testshire, January to December 2025'
    >>> review.data_quality().results["hate_offences"]
    1
    >>> "Not available" in review.totals_and_trend()._repr_html_()
    True
    """

    area_name: str
    ltla24_codes: tuple[str, ...]
    inputs: HateReviewInputs
    last_month: str
    conf: float = 0.95
    trend_strands: tuple[str, ...] = ("disability",)
    subarea_name: str = ""
    similar_k: int = 10
    similar_method: str = "euclidean"
    synthetic: bool = True

    @classmethod
    def from_params(cls, *, ltla24_codes: Sequence[str], extract: str,
                    review_year_last_month: str, area_name: str = "",
                    subareas: str = "auto", subarea_name: str = "", min_count: int = 10,
                    conf: float = 0.95, strands: Sequence[str] = DEFAULT_STRANDS,
                    trend_strands: Sequence[str] = ("disability",), similar_k: int = 10,
                    similar_method: str = "euclidean",
                    uses_synthetic_data: bool = True) -> HateReview:
        """Resolve the area and read its force extract, once, from the notebook's parameters.

        Parameters
        ----------
        ltla24_codes : sequence of str
            Council (LAD 2024), CSP or police force area codes
            (:func:`sna.reports.area_sections.report_area`).
        extract : str
            The force extract, relative to the project root (or absolute).
        review_year_last_month : str
            Last month of the review year, ``"YYYY-MM"``.
        area_name : str, default ""
            The area's name; empty: the councils' names.
        subareas : str, default "auto"
            The sub-areas (:func:`sna.io.geography.subarea_columns`).
        subarea_name : str, default ""
            What the sub-areas are called in table headings.
        min_count : int, default 10
            Smallest count published in breakdowns below the whole area.
        conf : float, default 0.95
            Confidence level.
        strands : sequence of str, default every strand
            Strands the force records.
        trend_strands : sequence of str, default ("disability",)
            Strands whose gradual 12-month change is shown.
        similar_k : int, default 10
            How many similar councils to list.
        similar_method : str, default "euclidean"
            Distance used to find similar councils.
        uses_synthetic_data : bool, default True
            The extract is the synthetic demo.

        Returns
        -------
        HateReview

        Raises
        ------
        SnaInputError
            Unknown area codes, a missing or malformed extract.

        See Also
        --------
        sna.reports.hate_review.load_inputs : what is read.
        """
        area = area_sections.report_area(ltla24_codes, area_name=area_name,
                                         require_police_uk=False)
        inputs = hate_review.load_inputs(extract, area["ltla24_codes"], strands=strands,
                                         min_count=min_count, subareas=subareas)
        return cls(area_name=area["area_name"], ltla24_codes=tuple(area["ltla24_codes"]),
                   inputs=inputs, last_month=review_year_last_month, conf=conf,
                   trend_strands=tuple(trend_strands), subarea_name=subarea_name,
                   similar_k=similar_k, similar_method=similar_method,
                   synthetic=uses_synthetic_data)

    @property
    def offences(self) -> pd.DataFrame:
        """Every offence of the extract in the study area (``inputs.offences``)."""
        return self.inputs.offences

    @property
    def policy(self) -> DisclosurePolicy:
        """The disclosure rule of breakdowns below the whole area (``inputs.policy``)."""
        return self.inputs.policy

    @property
    def strands(self) -> tuple[str, ...]:
        """The strands the extract records (``inputs.strands``)."""
        return self.inputs.strands

    @property
    def periods(self) -> ReviewPeriods:
        """The review year, the year before and the last two financial quarters."""
        return hate_review.review_periods(self.last_month)

    def frame(self) -> ReportFrame:
        """The review's title, period and real or demo sources (:func:`hate_review.frame`).

        Returns
        -------
        ReportFrame
        """
        return hate_review.frame(self.area_name, self.last_month,
                                 uses_synthetic_data=self.synthetic)

    def area_summary(self) -> Section:
        """What the area is (:func:`sna.reports.area_sections.area_summary`).

        Returns
        -------
        Section
        """
        kind = self.subarea_name or self.inputs.lsoas["subarea_kind"].iloc[0]
        return area_sections.area_summary(self.ltla24_codes, area_name=self.area_name,
                                          subarea_kind=kind)

    def totals_and_trend(self) -> Section:
        """Hate offences by year and month, and their change (:func:`hate_review.totals_and_trend`).

        Returns
        -------
        Section
        """
        return hate_review.totals_and_trend(self.offences, self.last_month, self.area_name,
                                            conf=self.conf, strands=self.strands,
                                            synthetic=self.synthetic)

    def composition_and_shifts(self) -> Section:
        """The strand mix and each strand's change (:func:`hate_review.composition_and_shifts`).

        Returns
        -------
        Section
        """
        return hate_review.composition_and_shifts(
            self.offences, self.last_month, self.area_name, conf=self.conf,
            strands=self.strands, trend_strands=self.trend_strands, synthetic=self.synthetic)

    def seasonal_pattern(self) -> Section:
        """Quarterly change against the seasonal swing (:func:`hate_review.seasonal_pattern`).

        Returns
        -------
        Section
        """
        return hate_review.seasonal_pattern(self.offences, self.last_month, self.area_name,
                                            conf=self.conf, strands=self.strands,
                                            synthetic=self.synthetic)

    def geography(self) -> Section:
        """Rates by sub-area and rurality (:func:`hate_review.geography`).

        Returns
        -------
        Section
        """
        return hate_review.geography(self.offences, self.inputs.lsoas, self.policy,
                                     self.last_month, self.area_name, conf=self.conf,
                                     strands=self.strands, synthetic=self.synthetic,
                                     subarea_name=self.subarea_name)

    def indicative_rates(self) -> Section:
        """Rates per 1,000 residents of each strand's group (:func:`hate_review.indicative_rates`).

        Returns
        -------
        Section
        """
        return hate_review.indicative_rates(self.offences, self.inputs.lsoas, self.last_month,
                                            conf=self.conf, strands=self.strands,
                                            synthetic=self.synthetic)

    def similar_areas(self) -> Section:
        """The councils most like this area (:func:`area_sections.similar_areas_section`).

        Returns
        -------
        Section
        """
        return area_sections.similar_areas_section(self.ltla24_codes, area_name=self.area_name,
                                                   k=self.similar_k, method=self.similar_method)

    def multi_strand_note(self) -> Section:
        """Offences recorded against two or more strands (:func:`hate_review.multi_strand_note`).

        Returns
        -------
        Section
        """
        return hate_review.multi_strand_note(self.offences, self.last_month, self.policy,
                                             conf=self.conf, strands=self.strands,
                                             synthetic=self.synthetic)

    def data_quality(self) -> Section:
        """Extract rows read, used and set aside (:func:`hate_review.data_quality`).

        Returns
        -------
        Section
        """
        return hate_review.data_quality(self.inputs.accounted, strands=self.strands,
                                        synthetic=self.synthetic)

    def methods(self) -> Section:
        """Tests, methods and sources (:func:`hate_review.methods`).

        Returns
        -------
        Section
        """
        return hate_review.methods(policy=self.policy, strands=self.strands,
                                   synthetic=self.synthetic)


# ---------------------------------------------------------------- SVD needs assessment


@dataclass(frozen=True, kw_only=True)
class SvdAssessment:
    """The Serious Violence Duty needs assessment of one area: its context and its sections.

    Make it with :meth:`from_params` from the notebook's parameters (that loads police.uk
    data, the force extract, boundaries, populations and the partner files once); each
    method returns the section of :mod:`sna.reports.svd`, :mod:`sna.reports.svd_partners`
    or :mod:`sna.reports.area_sections` it names.

    Attributes
    ----------
    area_name : str
        The area's name as printed.
    ltla24_codes : tuple of str
        The area's councils (LAD 2024 codes).
    area : sna.io.area.Area
        The resolved study area.
    inputs : SvdInputs
        police.uk data, force extract, published series, boundaries, populations, policy.
    partner : PartnerData
        The partner tables read, and the gaps.
    partner_areas : dict
        Upper-tier council code -> name and DfE LA number (given or derived).
    register : list of dict
        What each specified authority supplied (given or derived).
    partner_notes : list of str
        What could not be derived for the register.
    categories : dict
        police.uk category -> what it covers (the ``police_uk_categories`` parameter).
    offence_groups : dict
        The local definition's offence groups.
    priorities : dict
        The partnership's priorities -> their topics.
    first_month, last_month : str
        The months of police.uk data, ``"YYYY-MM"``.
    neighbour_forces : tuple of str
        Forces to compare with (empty: the adjacent forces).
    neighbour_last_month : str
        Last month of the neighbour and national comparison.
    similar_k : int
        How many similar councils to compare with.
    similar_method : str
        Distance used to find similar councils.
    conf : float
        Confidence level of every interval and test.
    published_da_source : str
        Where the published domestic-abuse series comes from.
    subarea_name : str
        What the sub-areas are called in table headings (empty: derived).
    synthetic : bool
        The force extract is the synthetic demo.

    Examples
    --------
    The frame and the definition need no loaded data, so an assessment made by hand
    without inputs shows them (:meth:`from_params` loads everything the other sections use):

    >>> assessment = SvdAssessment(
    ...     area_name="Testshire", ltla24_codes=("E06000063",), area=None, inputs=None,
    ...     partner=PartnerData(), partner_areas={}, register=[], partner_notes=[],
    ...     categories={"Robbery": "Robbery (police.uk does not flag knife use)."},
    ...     offence_groups={"Homicide": ["homicide"]}, priorities={},
    ...     first_month="2025-01", last_month="2025-12", neighbour_last_month="2025-12")
    >>> assessment.frame().title
    'Serious Violence Duty strategic needs assessment: Testshire, January to December 2025'
    >>> "Robbery" in assessment.definition()._repr_html_()
    True
    """

    area_name: str
    ltla24_codes: tuple[str, ...]
    area: Area
    inputs: SvdInputs
    partner: PartnerData
    partner_areas: dict
    register: list
    partner_notes: list
    categories: Mapping[str, str]
    offence_groups: Mapping[str, list[str]]
    priorities: Mapping[str, list[str]]
    first_month: str
    last_month: str
    neighbour_last_month: str
    neighbour_forces: tuple[str, ...] = ()
    similar_k: int = 10
    similar_method: str = "euclidean"
    conf: float = 0.95
    published_da_source: str = ""
    subarea_name: str = ""
    synthetic: bool = True

    @classmethod
    def from_params(cls, *, ltla24_codes: Sequence[str], first_month: str, last_month: str,
                    police_uk_categories: Mapping[str, str],
                    offence_groups: Mapping[str, list[str]],
                    priorities: Mapping[str, list[str]], area_name: str = "",
                    subareas: str = "auto", subarea_name: str = "", force_name: str = "",
                    police_uk: str = "", extract: str = "", published_da: str = "",
                    published_da_source: str = "", neighbour_forces: Sequence[str] = (),
                    neighbour_last_month: str, similar_k: int = 10,
                    similar_method: str = "euclidean", min_count: int = 5,
                    conf: float = 0.95, uses_synthetic_data: bool = True,
                    partner_areas: Mapping | None = None,
                    partner_files: Mapping[str, str] | None = None,
                    partner_register: Sequence | None = None) -> SvdAssessment:
        """Resolve the area and load every input once, from the notebook's parameters.

        Parameters
        ----------
        ltla24_codes : sequence of str
            Council (LAD 2024), CSP or police force area codes.
        first_month, last_month : str
            The months of police.uk data, ``"YYYY-MM"``.
        police_uk_categories : mapping
            police.uk category -> what it covers.
        offence_groups : mapping
            The local definition's offence groups.
        priorities : mapping
            The partnership's priorities -> their topics.
        area_name : str, default ""
            Empty: the councils' names.
        subareas : str, default "auto"
            The sub-areas (:func:`sna.io.geography.subarea_columns`).
        subarea_name : str, default ""
            What the sub-areas are called in table headings.
        force_name : str, default ""
            Force name expected in the police.uk files; empty: not checked.
        police_uk : str, default ""
            Folder of police.uk files; empty: the shipped files of the area's force.
        extract : str, default ""
            The force extract; empty: the sections needing it say "Not available".
        published_da, published_da_source : str, default ""
            The published domestic-abuse series and where it comes from.
        neighbour_forces : sequence of str, default ()
            Forces to compare with; empty: the adjacent forces.
        neighbour_last_month : str
            Last month of the neighbour and national comparison, ``"YYYY-MM"``.
        similar_k : int, default 10
        similar_method : str, default "euclidean"
        min_count : int, default 5
            Smallest count published in breakdowns.
        conf : float, default 0.95
        uses_synthetic_data : bool, default True
        partner_areas, partner_files, partner_register : optional
            The partner parameters; empty: derived from the area
            (:func:`sna.reports.svd_partners.derive_partner_params`).

        Returns
        -------
        SvdAssessment

        Raises
        ------
        SnaInputError
            Unknown area codes, no police.uk files for the area, malformed input files.

        See Also
        --------
        sna.reports.svd.load_inputs, sna.io.partner.load.load_partner_data
        """
        from sna.io.partner.load import load_partner_data

        area = area_sections.report_area(ltla24_codes, area_name=area_name,
                                         police_uk=police_uk)
        inputs = svd.load_inputs(area["police_uk"], force_name, area["ltla24_codes"],
                                 first_month, last_month, extract, published_da, min_count,
                                 subareas=subareas)
        partner = load_partner_data(files=dict(partner_files or {}))
        derived_areas, register, notes = svd_partners.derive_partner_params(
            dict(partner_areas or {}), list(partner_register or []), area["area"], partner,
            area_name=area["area_name"], force_name=force_name, extract=extract,
            uses_synthetic_data=uses_synthetic_data, first_month=first_month,
            last_month=last_month)
        return cls(area_name=area["area_name"], ltla24_codes=tuple(area["ltla24_codes"]),
                   area=area["area"], inputs=inputs, partner=partner,
                   partner_areas=derived_areas, register=register, partner_notes=notes,
                   categories=police_uk_categories, offence_groups=offence_groups,
                   priorities=priorities, first_month=first_month, last_month=last_month,
                   neighbour_forces=tuple(neighbour_forces),
                   neighbour_last_month=neighbour_last_month,
                   similar_k=similar_k, similar_method=similar_method, conf=conf,
                   published_da_source=published_da_source, subarea_name=subarea_name,
                   synthetic=uses_synthetic_data)

    @property
    def policy(self) -> DisclosurePolicy:
        """The disclosure rule of published counts (``inputs.policy``)."""
        return self.inputs.policy

    def frame(self) -> ReportFrame:
        """The assessment's title, period, priorities and sources (:func:`svd.frame`).

        Returns
        -------
        ReportFrame
        """
        return svd.frame(self.area_name, self.first_month, self.last_month,
                         priorities=self.priorities, uses_synthetic_data=self.synthetic)

    def area_summary(self) -> Section:
        """What the area is (:func:`sna.reports.area_sections.area_summary`).

        Returns
        -------
        Section
        """
        kind = self.subarea_name or self.inputs.study.subarea_kind
        return area_sections.area_summary(self.ltla24_codes, area_name=self.area_name,
                                          subarea_kind=kind)

    def definition(self) -> Section:
        """The local definition and its police.uk proxies (:func:`svd.definition`).

        Returns
        -------
        Section
        """
        return svd.definition(self.categories, self.offence_groups, area_name=self.area_name)

    def extent_and_trend(self) -> Section:
        """How much serious violence there is, and its trend (:func:`svd.extent_and_trend`).

        Returns
        -------
        Section
        """
        return svd.extent_and_trend(self.inputs.study, self.categories, self.last_month,
                                    self.area_name, conf=self.conf)

    def where(self) -> Section:
        """Sub-areas, rurality, neighbourhoods and hotspots (:func:`svd.where`).

        Returns
        -------
        Section
        """
        return svd.where(self.inputs.study, self.categories, self.last_month, self.area_name,
                         self.policy, conf=self.conf, boundaries=self.inputs.boundaries,
                         subarea_name=self.subarea_name)

    def day_and_time(self) -> Section:
        """Month, day of the week and time of day (:func:`svd.day_and_time`).

        Returns
        -------
        Section
        """
        return svd.day_and_time(self.inputs.offences, self.last_month, self.policy)

    def victims_by_age(self) -> Section:
        """Victims by age, as rates of the residents of each age (:func:`svd.victims_by_age`).

        Returns
        -------
        Section
        """
        return svd.victims_by_age(
            self.inputs.offences, self.inputs.lsoa_population, self.last_month, self.policy,
            conf=self.conf,
            total_residents=float(self.inputs.study.lsoas["usual_residents"].sum()))

    def who(self) -> Section:
        """Victims and suspects by age, sex and ethnicity (:func:`svd_partners.who`).

        Returns
        -------
        Section
        """
        return svd_partners.who(self.inputs.offences, self.partner, self.partner_areas,
                                self.last_month, self.policy, conf=self.conf)

    def drivers(self) -> Section:
        """Rates by deprivation and the gradient test (:func:`svd.drivers`).

        Returns
        -------
        Section
        """
        return svd.drivers(self.inputs.study, self.categories, self.last_month, conf=self.conf)

    def children_at_risk(self) -> Section:
        """Children's services, schools and courts data (:func:`svd_partners.children_at_risk`).

        Returns
        -------
        Section
        """
        return svd_partners.children_at_risk(self.partner, self.partner_areas, conf=self.conf)

    def health(self) -> Section:
        """Hospital data on injury and violence (:func:`svd_partners.health`).

        Returns
        -------
        Section
        """
        return svd_partners.health(self.partner, self.partner_areas, conf=self.conf)

    def similar_areas(self) -> Section:
        """The councils most like this area (:func:`area_sections.similar_areas_section`).

        Returns
        -------
        Section
        """
        return area_sections.similar_areas_section(self.ltla24_codes, area_name=self.area_name,
                                                   k=self.similar_k, method=self.similar_method)

    def national_benchmarks(self) -> Section:
        """The rate against similar areas and England and Wales.

        See :func:`sna.reports.area_sections.national_benchmarks`.

        Returns
        -------
        Section
        """
        return area_sections.national_benchmarks(
            self.ltla24_codes, self.categories, self.neighbour_last_month,
            area_name=self.area_name, k=self.similar_k, method=self.similar_method,
            conf=self.conf)

    def adjacent_forces(self) -> Section:
        """Comparison with the neighbouring forces (:func:`area_sections.adjacent_forces_section`).

        Returns
        -------
        Section
        """
        return area_sections.adjacent_forces_section(
            self.ltla24_codes, self.categories, self.neighbour_last_month,
            forces=self.neighbour_forces, conf=self.conf)

    def response_priorities(self) -> Section:
        """The indicators behind the partnership's response priorities (:func:`svd.priorities`).

        Returns
        -------
        Section
        """
        return svd.priorities(self.inputs.offences, self.inputs.population, self.last_month,
                              conf=self.conf, study=self.inputs.study)

    def da_published(self) -> Section:
        """The published quarterly domestic-abuse series (:func:`svd.da_published`).

        Returns
        -------
        Section
        """
        return svd.da_published(self.inputs.published_da, conf=self.conf,
                                published_source=self.published_da_source)

    def partner_register(self) -> Section:
        """What each specified authority supplied (:func:`svd_partners.partner_register`).

        Returns
        -------
        Section
        """
        return svd_partners.partner_register(self.register, self.partner,
                                             notes=self.partner_notes)

    def data_gaps(self) -> Section:
        """What is missing, and what it means for the conclusions (:func:`svd_partners.data_gaps`).

        Returns
        -------
        Section
        """
        return svd_partners.data_gaps(self.register, self.partner, self.partner_areas,
                                      synthetic_extract=self.synthetic,
                                      missing_months=self.inputs.study.missing_months)

    def data_quality(self) -> Section:
        """police.uk and extract rows read, used and set aside (:func:`svd.data_quality`).

        Returns
        -------
        Section
        """
        return svd.data_quality(self.inputs.study, extract=self.inputs.extract)

    def partner_accounting(self) -> Section:
        """Partner-file rows read, used and set aside (:func:`svd_partners.partner_accounting`).

        Returns
        -------
        Section
        """
        return svd_partners.partner_accounting(self.partner)

    def sources_and_methods(self) -> Section:
        """Data sources, licences and methods (:func:`svd.sources_and_methods`).

        Returns
        -------
        Section
        """
        return svd.sources_and_methods(self.inputs, published_source=self.published_da_source,
                                       synthetic=self.synthetic)


# ---------------------------------------------------------------- performance report


@dataclass(frozen=True, kw_only=True)
class PerformanceReport:
    """The partnership's performance report for one period: its inputs and its sections.

    Make it with :meth:`from_params` from the notebook's parameters (that reads the partner
    returns and police.uk data and builds every tile once); each method returns the section
    of :mod:`sna.reports.performance` of the same name.

    Attributes
    ----------
    inputs : PerformanceInputs
        The area, the report period, the returns, the tiles, the policy and ``conf``.

    Examples
    --------
    An area with no partner returns and no police.uk files: each section says what is
    missing instead of failing.

    >>> report = PerformanceReport.from_params(period="Q3 2025/26", area_name="Testshire")
    >>> report.inputs.report.label
    'Q3 2025/26'
    >>> "no partner returns were supplied" in report.partner_sections()._repr_html_()
    True
    """

    inputs: PerformanceInputs

    @classmethod
    def from_params(cls, *, period: str, year: str = "", area_name: str = "",
                    ltla24_codes: Sequence[str] = (), returns: Sequence[str] = (),
                    partners: Sequence[str] = (), priorities: Sequence[str] = (),
                    police_uk: str = "", force_name: str = "",
                    police_uk_indicators: Mapping[str, str] | None = None,
                    min_count: int = 5, conf: float = 0.95) -> PerformanceReport:
        """Read the returns and police.uk data and build every tile, once.

        Parameters
        ----------
        period : str
            A financial quarter, e.g. ``"Q3 2023/24"`` (quarterly report), or ``""``.
        year : str, default ""
            A financial year, e.g. ``"2024/25"``, when ``period`` is ``""`` (annual report).
        area_name : str, default ""
            Empty: the councils' names.
        ltla24_codes : sequence of str, default ()
            Council, CSP or police force area codes.
        returns : sequence of str, default ()
            Partner-return files; empty: police.uk indicators only.
        partners : sequence of str, default ()
            Partners expected to send a return; empty: those in the returns.
        priorities : sequence of str, default ()
            The partnership's priorities.
        police_uk : str, default ""
            Folder of police.uk files; empty: the shipped files of the area's force.
        force_name : str, default ""
            Force name expected in the police.uk files; empty: not checked.
        police_uk_indicators : mapping, optional
            police.uk crime type -> the priority it informs.
        min_count : int, default 5
            Smallest count published.
        conf : float, default 0.95

        Returns
        -------
        PerformanceReport

        See Also
        --------
        sna.reports.performance.load_inputs : what is read.
        """
        return cls(inputs=performance.load_inputs(
            area_name, list(returns), list(partners), list(priorities), period, year,
            police_uk, force_name, list(ltla24_codes), dict(police_uk_indicators or {}),
            min_count, conf))

    def frame(self) -> ReportFrame:
        """The report's title with area and period, and its sources (:func:`performance.frame`).

        Returns
        -------
        ReportFrame
        """
        return performance.frame(self.inputs)

    def dashboard(self) -> Section:
        """One tile per indicator, with its change and RAG status (:func:`performance.dashboard`).

        Returns
        -------
        Section
        """
        return performance.dashboard(self.inputs)

    def partner_sections(self) -> Section:
        """What each partner returned for the period (:func:`performance.partner_sections`).

        Returns
        -------
        Section
        """
        return performance.partner_sections(self.inputs)

    def priority_sections(self) -> Section:
        """The indicators of each priority (:func:`performance.priority_sections`).

        Returns
        -------
        Section
        """
        return performance.priority_sections(self.inputs)

    def data_quality(self) -> Section:
        """Return rows read, used and set aside (:func:`performance.data_quality`).

        Returns
        -------
        Section
        """
        return performance.data_quality(self.inputs)

    def sources_and_methods(self) -> Section:
        """Data sources and methods (:func:`performance.sources_and_methods`).

        Returns
        -------
        Section
        """
        return performance.sources_and_methods(self.inputs)
