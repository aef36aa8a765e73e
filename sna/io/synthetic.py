"""Seeded SYNTHETIC force extract for demonstrations and tests.

No public record-level crime extract with domestic-abuse and hate-crime flags
exists, so the demo report runs on a generated one. The offences sit on the real
LSOAs 2021 of the study area, weighted by Census 2021 population and the real
police.uk location of violence and public-order crime, with volumes calibrated to
the published figures of one area (named in
``data/raw/shipped/synthetic/calibration.json``; see its README) and, for any other
area (:func:`write_area_extract`), scaled by its Census 2021 residents.
The rows are invented: the file name and every ``crime_ref`` say SYNTHETIC, and
it must never be mistaken for, or reported as, real data.

The same seed gives a byte-identical file.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sna.errors import SnaInputError
from sna.io.extract import (
    AGE_BANDS,
    DEFAULT_STRANDS,
    ETHNIC_GROUPS,
    SUSPECT_AGE_BANDS,
    extract_columns,
    offence_codes,
    strand_column,
)
from sna.paths import raw_dir
from sna.periods import month_range

__all__ = [
    "area_slug",
    "da_monthly_means",
    "generate_force_extract",
    "hate_monthly_means",
    "study_lsoa_weights",
    "sv_factors",
    "sv_monthly_means",
    "study_ethnic_shares",
    "write_area_extract",
    "write_demo_extract",
]

SYNTHETIC_SEED = 20261123
CALIBRATION = json.loads((raw_dir() / "shipped" / "synthetic" / "calibration.json").read_text(
    encoding="utf-8"))
DEMO_FILE_NAME = CALIBRATION["demo_file"]
STUDY_LTLA_CODES = tuple(CALIBRATION["ltla24_codes"])  # the calibration area (LAD 2024)

# ---------------------------------------------------------------- hate crime
HATE_OFFENCES_PER_YEAR = 1150
HATE_PRIMARY_SHARES = {  # share of offences by the first (primary) strand recorded
    "race": 0.683, "sexual_orientation": 0.150, "disability": 0.064, "religion": 0.040,
    "transgender": 0.022, "misogyny": 0.015, "asylum_migrant": 0.008,
    "gypsy_traveller": 0.008, "alt_subculture": 0.005, "sex_worker": 0.005,
}
MULTI_STRAND_SHARE = 0.065  # offences with a second strand
SECOND_STRAND = {  # which second strand, given the primary
    "race": {"religion": 0.65, "asylum_migrant": 0.15, "gypsy_traveller": 0.05,
             "misogyny": 0.10, "disability": 0.05},
    "religion": {"race": 1.0},
    "sexual_orientation": {"transgender": 0.55, "disability": 0.25, "race": 0.20},
    "transgender": {"sexual_orientation": 1.0},
    "disability": {"race": 0.40, "sexual_orientation": 0.40, "misogyny": 0.20},
    "misogyny": {"race": 0.50, "sexual_orientation": 0.50},
}
HATE_SEASON = (0.88, 0.86, 0.93, 1.00, 1.05, 1.12, 1.15, 1.12, 1.02, 1.00, 0.95, 0.92)  # Jan..Dec
EFFECT_SEXUAL_ORIENTATION = 1.50  # step in the last 12 months
EFFECT_DISABILITY_END = 0.55  # linear decline over the last 12 months, to this factor

# ---------------------------------------------------------------- serious violence (not DA)
SV_CALIBRATION_MEANS = {  # offences a month in the calibration area, not DA, not hate
    "1": 0.35, "4/1": 0.08,
    "2": 0.6, "5D": 14.0, "5E": 3.0, "8N": 265.0, "8S": 12.0,
    "19C": 28.0, "19D": 9.0, "19E": 5.0, "19F": 2.5, "19G": 2.0, "19H": 1.5,
    "20A": 55.0, "20B": 10.0, "17A": 6.0, "17B": 4.0,
    "10A": 0.4, "10B": 2.0, "10C": 9.0, "10D": 28.0,
    "34A": 3.0, "34B": 14.0,
    "56A": 3.0,
}
SV_CRIME_TYPES = {  # the police.uk crime type each serious-violence code is counted in
    **dict.fromkeys(["1", "4/1", "2", "5D", "5E", "8N", "8S", "19C", "19D", "19E", "19F", "19G",
                     "19H", "20A", "20B", "17A", "17B"], "Violence and sexual offences"),
    **dict.fromkeys(["10A", "10B", "10C", "10D"], "Possession of weapons"),
    **dict.fromkeys(["34A", "34B"], "Robbery"),
    "56A": "Criminal damage and arson",
}
ROBBERY_2025_FACTOR = 2.0  # the calibration area's police.uk robbery doubled from 2024 to 2025
SV_SEASON = (0.92, 0.88, 0.97, 0.98, 1.04, 1.06, 1.10, 1.06, 1.00, 1.00, 0.97, 1.02)

# ---------------------------------------------------------------- offence code mixes
DA_CODE_MIX = {
    "105A": 0.340, "8N": 0.200, "8L": 0.100, "8Q": 0.080, "58A": 0.080, "8R": 0.070,
    "3B": 0.040, "19C": 0.035, "20A": 0.025, "5D": 0.010, "5E": 0.005, "56A": 0.004,
    "19D": 0.004, "58C": 0.0067, "1": 0.0003,
}
HATE_CODE_MIX_AGGRAVATED = {  # race and religion: racially/religiously aggravated codes
    "9B": 0.45, "105B": 0.15, "8M": 0.13, "8P": 0.08, "58J": 0.07, "8R": 0.06,
    "34B": 0.02, "9A": 0.04,
}
HATE_CODE_MIX_OTHER = {
    "9A": 0.40, "105A": 0.16, "8L": 0.13, "8R": 0.10, "8N": 0.09, "58A": 0.05, "58C": 0.04,
    "20A": 0.03,
}
COURSE_OF_CONDUCT_CODES = ("8L", "8M", "8Q", "8R")  # time often not recorded

# ---------------------------------------------------------------- when and to whom
HOURS = {  # relative frequency by hour of day, 00..23
    "night": (6, 4, 3, 2, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8, 9, 10, 10, 8),
    "evening": (4, 3, 2, 1, 1, 1, 1, 2, 3, 3, 4, 4, 5, 5, 5, 6, 7, 8, 9, 10, 10, 9, 8, 6),
    "day": (2, 1, 1, 1, 1, 1, 1, 2, 4, 5, 6, 7, 8, 8, 8, 9, 9, 9, 8, 7, 6, 5, 4, 3),
}
WEEKDAYS = {  # relative frequency Monday..Sunday
    "night": (0.85, 0.85, 0.90, 0.95, 1.15, 1.35, 1.20),
    "evening": (1.00, 0.95, 0.95, 0.95, 1.00, 1.10, 1.15),
    "day": (1.00, 1.00, 1.00, 1.00, 1.05, 1.00, 0.95),
}
VICTIMS = {  # (age band probabilities incl. blank last, sex probabilities F, M, X, blank)
    "da": ((0.01, 0.17, 0.31, 0.32, 0.14, 0.04, 0.01), (0.77, 0.21, 0.005, 0.015)),
    "hate": ((0.06, 0.20, 0.24, 0.28, 0.12, 0.05, 0.05), (0.38, 0.57, 0.01, 0.04)),
    "violence": ((0.10, 0.26, 0.25, 0.23, 0.12, 0.03, 0.01), (0.38, 0.60, 0.005, 0.015)),
    "sexual": ((0.38, 0.28, 0.14, 0.12, 0.06, 0.01, 0.01), (0.86, 0.13, 0.005, 0.005)),
    "robbery": ((0.18, 0.36, 0.18, 0.15, 0.09, 0.03, 0.01), (0.20, 0.78, 0.005, 0.015)),
    "homicide": ((0.05, 0.15, 0.20, 0.30, 0.20, 0.10, 0.00), (0.30, 0.70, 0.0, 0.0)),
    "no_victim": ((0, 0, 0, 0, 0, 0, 1.0), (0, 0, 0, 1.0)),
    "arson": ((0.05, 0.08, 0.12, 0.12, 0.08, 0.05, 0.50), (0.25, 0.25, 0.0, 0.50)),
}
SEXUAL_CODE_VICTIM = {  # code -> (fixed sex, age rule: "child", "adult" or None)
    "19C": ("F", "adult"), "19D": ("F", "child"), "19E": ("F", "child"),
    "19F": ("M", "adult"), "19G": ("M", "child"), "19H": ("M", "child"),
    "20A": ("F", None), "20B": ("F", "child"), "17A": ("M", None), "17B": ("M", "child"),
}
SVD_VICTIMS = {"homicide": "homicide", "violence_with_injury": "violence",
               "rape_sexual": "sexual", "weapon_possession": "no_victim",
               "robbery": "robbery", "arson_endangering_life": "arson"}
SVD_HOURS = {"rape_sexual": "evening", "arson_endangering_life": "night"}

# ---------------------------------------------------------------- ethnicity, repeats, suspects
# Invented, following the broad pattern of published national statistics (most suspects of
# violence are male; DA has the most repeat victims and suspects; robbery and arson suspects are
# often not identified). Drawn with a second generator seeded (seed, PEOPLE_STREAM) after every
# other column, so adding them left the earlier columns of the demo file unchanged.
PEOPLE_STREAM = 14
ETHNICITY_NOT_RECORDED = 0.08
RACE_HATE_VICTIM_ETHNICITY = {"Asian": 0.35, "Black": 0.15, "Mixed": 0.10, "Other": 0.15,
                              "White": 0.25}
PEOPLE = {  # kind -> (P repeat victim, P suspect identified, P male suspect, P repeat suspect,
    #                   suspect age band probabilities 10-17 .. 65+)
    "da": (0.35, 0.90, 0.80, 0.40, (0.03, 0.17, 0.33, 0.33, 0.11, 0.03)),
    "hate": (0.15, 0.50, 0.75, 0.20, (0.15, 0.20, 0.22, 0.25, 0.13, 0.05)),
    "violence": (0.10, 0.55, 0.84, 0.25, (0.16, 0.24, 0.27, 0.23, 0.08, 0.02)),
    "sexual": (0.08, 0.60, 0.97, 0.20, (0.18, 0.20, 0.20, 0.22, 0.13, 0.07)),
    "robbery": (0.05, 0.35, 0.90, 0.30, (0.30, 0.30, 0.22, 0.14, 0.03, 0.01)),
    "homicide": (0.0, 0.95, 0.88, 0.30, (0.08, 0.22, 0.27, 0.27, 0.12, 0.04)),
    "no_victim": (0.0, 0.98, 0.92, 0.30, (0.22, 0.26, 0.24, 0.20, 0.07, 0.01)),
    "arson": (0.05, 0.25, 0.80, 0.20, (0.30, 0.20, 0.20, 0.20, 0.08, 0.02)),
}


def _shipped() -> Path:
    return raw_dir() / "shipped"


def study_lsoa_weights(*, ltla_codes: Sequence[str] = STUDY_LTLA_CODES,
                       police_uk: str | Path | None = CALIBRATION["police_uk"]) -> pd.DataFrame:
    """Return the study LSOAs 2021 with the weights the generator places offences by.

    Parameters
    ----------
    ltla_codes : sequence of str
        Local authority (LAD 2024) codes; default the calibration area.
    police_uk : str or Path, optional
        Folder of police.uk files (relative to ``data/raw/shipped``) giving the violence and
        public-order shares; ``None`` takes them from the national police.uk 2025 aggregate.

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code, usual_residents, violence_share, public_order_share`` and the
        stream weights ``weight_da`` (half population share, half police.uk violence
        and sexual offences share), ``weight_sv`` (0.2 / 0.8) and ``weight_hate``
        (0.3 population, 0.5 public order, 0.2 violence). Shares are from the shipped
        police.uk files (or the national aggregate) and Census 2021 usual residents.
    """
    lookup = pd.read_csv(_shipped() / "geography" / "lsoa21_ward24_ltla24_ew.csv.gz",
                         usecols=["lsoa21_code", "ltla24_code"])
    codes = lookup.loc[lookup["ltla24_code"].isin(ltla_codes), "lsoa21_code"]
    census = pd.read_csv(_shipped() / "geography" / "census2021_lsoa21_ew.csv.gz",
                         usecols=["lsoa21_code", "usual_residents"])
    out = census[census["lsoa21_code"].isin(codes)].sort_values("lsoa21_code")
    if police_uk is not None:
        files = sorted((_shipped() / police_uk).glob("*.csv.gz"))
        crimes = pd.concat([pd.read_csv(f, usecols=["LSOA code", "Crime type"]) for f in files])
        crimes = crimes.assign(offences=1)
    else:
        from sna.io.national_counts import national_counts

        crimes = national_counts().rename(columns={"lsoa21_code": "LSOA code",
                                                   "crime_type": "Crime type"})
    crimes = crimes[crimes["LSOA code"].isin(out["lsoa21_code"])]
    for column, crime_type in (("violence_share", "Violence and sexual offences"),
                               ("public_order_share", "Public order")):
        counts = crimes[crimes["Crime type"] == crime_type].groupby("LSOA code")["offences"].sum()
        share = out["lsoa21_code"].map(counts).fillna(0)
        out[column] = share / share.sum() if share.sum() > 0 else 1 / len(share)
    population = out["usual_residents"] / out["usual_residents"].sum()
    out["weight_da"] = 0.5 * population + 0.5 * out["violence_share"]
    out["weight_sv"] = 0.2 * population + 0.8 * out["violence_share"]
    out["weight_hate"] = 0.3 * population + 0.5 * out["public_order_share"] \
        + 0.2 * out["violence_share"]
    return out.reset_index(drop=True)


def da_monthly_means(months: pd.PeriodIndex) -> pd.Series:
    """Expected DA-flagged offences a month: the published quarter / 3.

    Financial-year quarters 2020/21 to 2022/23 are the partnership's published
    figures (``data/raw/shipped/published/da_related_crimes_quarterly.csv``); any
    other quarter takes the 2022/23 figure for the same quarter (level and
    seasonal shape of the latest published year).

    Parameters
    ----------
    months : pandas.PeriodIndex
        Monthly periods.

    Returns
    -------
    pandas.Series
        ``da_mean``: expected offences, one per month, indexed by ``months``.

    Examples
    --------
    >>> da_monthly_means(pd.period_range("2020-04", "2020-06", freq="M")).round(1).tolist()
    [473.3, 473.3, 473.3]
    """
    published = pd.read_csv(_shipped() / "published" / "da_related_crimes_quarterly.csv")
    by_quarter = published.set_index(["financial_year", "quarter"])["da_related_crimes"]
    latest = published["financial_year"].max()
    means = []
    for month in months:
        fy_start = month.year if month.month >= 4 else month.year - 1
        fy = f"{fy_start}/{str(fy_start + 1)[2:]}"
        quarter = f"Q{(month.month - 4) % 12 // 3 + 1}"
        value = by_quarter.get((fy, quarter), by_quarter[(latest, quarter)])
        means.append(value / 3)
    return pd.Series(means, index=months, name="da_mean")


def hate_monthly_means(months: pd.PeriodIndex, *, per_year: float = HATE_OFFENCES_PER_YEAR,
                       effects: bool = True) -> pd.DataFrame:
    """Expected hate offences a month by primary strand (months x strands).

    Parameters
    ----------
    months : pandas.PeriodIndex
        Monthly periods.
    per_year : float, default HATE_OFFENCES_PER_YEAR
        Expected hate offences a year, before the seasonal shape.
    effects : bool, default True
        Apply the planted strand effects in the last 12 months.

    Returns
    -------
    pandas.DataFrame
        float means indexed by ``months``, one column per primary strand.

    Examples
    --------
    >>> m = hate_monthly_means(pd.period_range("2021-01", "2021-12", freq="M"), effects=False)
    >>> round(float(m.to_numpy().sum()))
    1150
    """
    season = np.array([HATE_SEASON[m.month - 1] for m in months])
    shares = pd.Series(HATE_PRIMARY_SHARES)
    means = pd.DataFrame(np.outer(season * per_year / 12, shares / shares.sum()),
                         index=months, columns=shares.index)
    if effects:
        last = np.arange(len(months)) >= len(months) - 12
        step = np.cumsum(last)  # 1..12 within the last 12 months
        means.loc[last, "sexual_orientation"] *= EFFECT_SEXUAL_ORIENTATION
        means.loc[last, "disability"] *= 1 - (1 - EFFECT_DISABILITY_END) * step[last] / 12
    return means


def sv_monthly_means(months: pd.PeriodIndex, *, factors: dict[str, float] | None = None
                     ) -> pd.DataFrame:
    """Expected serious-violence offences (not DA, not hate) a month (months x codes).

    Parameters
    ----------
    months : PeriodIndex
    factors : dict, optional
        police.uk crime type -> multiplier of the calibration area's means
        (:func:`sv_factors`); default none (the calibration area).

    Returns
    -------
    pandas.DataFrame
        float means indexed by ``months``, one column per serious-violence Home
        Office offence code (e.g. ``"34B"``).

    Examples
    --------
    >>> months = pd.period_range("2025-01", "2025-01", freq="M")
    >>> float(sv_monthly_means(months, factors={"Robbery": 0.5})["34B"].iloc[0])
    12.88
    """
    season = np.array([SV_SEASON[m.month - 1] for m in months])
    means = pd.DataFrame(np.outer(season, list(SV_CALIBRATION_MEANS.values())),
                         index=months, columns=list(SV_CALIBRATION_MEANS))
    for code in means.columns:
        means[code] *= (factors or {}).get(SV_CRIME_TYPES[code], 1.0)
    in_2025 = np.array([m.year >= 2025 for m in months])
    means.loc[in_2025, ["34A", "34B"]] *= ROBBERY_2025_FACTOR
    return means


def sv_factors(ltla_codes: Sequence[str], *, residents_ratio: float | None = None
               ) -> dict[str, float]:
    """An area's serious-violence volumes relative to the calibration area, by crime type.

    For each police.uk crime type the serious-violence codes are counted in (violence and
    sexual offences, possession of weapons, robbery, criminal damage and arson): the area's
    offences a month in the real national police.uk 2025 aggregate (its own force's rows, in
    the months that force has data) divided by the calibration area's. An area whose force has
    no data in the aggregate (a force missing from the source) falls back to
    ``residents_ratio`` (default: the ratio of Census 2021 usual residents).

    Parameters
    ----------
    ltla_codes : sequence of str
        The area's councils (LAD 2024 codes).
    residents_ratio : float, optional
        The multiplier where the area's force has no data (or the calibration area
        has none of a crime type); the Census 2021 residents ratio when None.

    Returns
    -------
    dict of str to float
        police.uk crime type -> multiplier.

    Examples
    --------
    >>> sv_factors(STUDY_LTLA_CODES)["Robbery"]
    1.0
    >>> sv_factors(["E06000010"])["Robbery"] > 1  # more robbery than the calibration area
    True
    """
    from sna.io.national_counts import national_counts

    types = sorted(set(SV_CRIME_TYPES.values()))
    if sorted(ltla_codes) == sorted(STUDY_LTLA_CODES):
        return dict.fromkeys(types, 1.0)
    lookup = pd.read_csv(_shipped() / "geography" / "lsoa21_ward24_ltla24_ew.csv.gz",
                         usecols=["lsoa21_code", "ltla24_code"])
    counts = national_counts()

    def monthly(codes: Sequence[str]) -> pd.Series:
        from sna.io.area import resolve_area
        from sna.io.national_counts import force_months

        forces = resolve_area(list(codes)).forces
        months = {m for force in forces for m in force_months().get(force, [])}
        lsoas = lookup.loc[lookup["ltla24_code"].isin(codes), "lsoa21_code"]
        rows = counts[counts["lsoa21_code"].isin(lsoas) & counts["force"].isin(forces)]
        by_type = rows.groupby("crime_type")["offences"].sum().reindex(types, fill_value=0)
        return by_type / len(months) if months else pd.Series(np.nan, index=types)

    area, calibration = monthly(ltla_codes), monthly(STUDY_LTLA_CODES)
    if residents_ratio is None:
        census = pd.read_csv(_shipped() / "geography" / "census2021_lsoa21_ew.csv.gz",
                             usecols=["lsoa21_code", "usual_residents"])
        own = lookup.loc[lookup["ltla24_code"].isin(ltla_codes), "lsoa21_code"]
        residents_ratio = float(census.loc[census["lsoa21_code"].isin(own),
                                           "usual_residents"].sum()) / float(
            CALIBRATION["usual_residents"])
    return {t: float(area[t] / calibration[t]) if pd.notna(area[t]) and calibration[t] > 0
            else residents_ratio for t in types}


def _poisson_rows(rng: np.random.Generator, means: pd.DataFrame) -> pd.DataFrame:
    """One row per drawn offence: ``month`` and ``key`` (the column it was drawn for)."""
    counts = rng.poisson(means.to_numpy())
    month = np.repeat(np.tile(np.arange(len(means)), (means.shape[1], 1)).T.ravel(),
                      counts.ravel())
    key = np.repeat(np.tile(means.columns.to_numpy(dtype=object), len(means)), counts.ravel())
    return pd.DataFrame({"month": means.index[month], "key": key})


def _choice(rng: np.random.Generator, mix: dict, size: int) -> np.ndarray:
    p = np.array(list(mix.values()), dtype=float)
    return rng.choice(np.array(list(mix), dtype=object), size=size, p=p / p.sum())


def _dates_times(rng: np.random.Generator, months: pd.Series, profile: pd.Series,
                 untimed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Draw a day (weekday-weighted) and a time (hour profile) for each offence."""
    dates = np.empty(len(months), dtype="datetime64[D]")
    hours = np.empty(len(months), dtype=int)
    for (month, name), rows in months.groupby([months, profile], sort=True).groups.items():
        days = pd.date_range(month.start_time, month.end_time.normalize(), freq="D")
        weekday = np.array(WEEKDAYS[name])[days.day_of_week]
        picked = days.to_numpy().astype("datetime64[D]")[
            rng.choice(len(days), size=len(rows), p=weekday / weekday.sum())]
        hour_weights = np.tile(np.array(HOURS[name], dtype=float), (len(rows), 1))
        if name == "night":  # Friday and Saturday nights spill into the early hours
            weekend = pd.DatetimeIndex(picked).day_of_week.isin([5, 6])
            hour_weights[np.ix_(weekend, range(5))] *= 3
        cumulative = np.cumsum(hour_weights, axis=1)
        draw = rng.random(len(rows)) * cumulative[:, -1]
        hours[rows] = (cumulative < draw[:, None]).sum(axis=1)
        dates[rows] = picked
    minutes = rng.integers(0, 60, size=len(months))
    times = np.char.add(np.char.zfill(hours.astype(str), 2),
                        np.char.add(":", np.char.zfill(minutes.astype(str), 2))).astype(object)
    times[untimed] = ""
    return dates, times


def _victims(rng: np.random.Generator, profile: np.ndarray,
             codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    age = np.empty(len(profile), dtype=object)
    sex = np.empty(len(profile), dtype=object)
    for name, (age_p, sex_p) in VICTIMS.items():
        rows = np.flatnonzero(profile == name)
        age[rows] = _choice(rng, dict(zip([*AGE_BANDS, ""], age_p, strict=True)), len(rows))
        sex[rows] = _choice(rng, dict(zip(["F", "M", "X", ""], sex_p, strict=True)), len(rows))
    for code, (fixed_sex, age_rule) in SEXUAL_CODE_VICTIM.items():
        rows = codes == code
        sex[rows] = fixed_sex
        if age_rule == "child":
            age[rows] = "0-15"
        elif age_rule == "adult":
            age[rows & np.isin(age, ["0-15", ""])] = "16-24"
    return age, sex


def _hate_flags(rng: np.random.Generator, primary: np.ndarray) -> pd.DataFrame:
    flags = pd.DataFrame(False, index=range(len(primary)),
                         columns=[strand_column(s) for s in DEFAULT_STRANDS])
    for strand in DEFAULT_STRANDS:
        flags.loc[primary == strand, strand_column(strand)] = True
    multi = rng.random(len(primary)) < MULTI_STRAND_SHARE
    for strand, mix in SECOND_STRAND.items():
        rows = np.flatnonzero(multi & (primary == strand))
        for row, second in zip(rows, _choice(rng, mix, len(rows)), strict=True):
            flags.iat[row, DEFAULT_STRANDS.index(second)] = True
    return flags


def _stream(rng: np.random.Generator, rows: pd.DataFrame, codes: np.ndarray,
            hours: np.ndarray, victims: np.ndarray, da: str) -> pd.DataFrame:
    untimed = np.isin(codes, COURSE_OF_CONDUCT_CODES) & (rng.random(len(rows)) < 0.6)
    dates, times = _dates_times(rng, rows["month"], pd.Series(hours, index=rows.index), untimed)
    age, sex = _victims(rng, victims, codes)
    return pd.DataFrame({"offence_date": dates, "offence_time": times, "ho_offence_code": codes,
                         "da_flag": da, "victim_age_band": age, "victim_sex": sex})


def _da_offences(rng: np.random.Generator, months: pd.PeriodIndex,
                 scale: float = 1.0) -> pd.DataFrame:
    rows = _poisson_rows(rng, da_monthly_means(months).to_frame() * scale)
    codes = _choice(rng, DA_CODE_MIX, len(rows))
    out = _stream(rng, rows, codes, np.full(len(rows), "evening"),
                  np.full(len(rows), "da", dtype=object), "Y")
    return out.assign(stream="da")


def _hate_offences(rng: np.random.Generator, months: pd.PeriodIndex, per_year: float,
                   effects: bool) -> pd.DataFrame:
    rows = _poisson_rows(rng, hate_monthly_means(months, per_year=per_year, effects=effects))
    primary = rows["key"].to_numpy()
    aggravated = np.isin(primary, ["race", "religion"])
    codes = np.where(aggravated, _choice(rng, HATE_CODE_MIX_AGGRAVATED, len(rows)),
                     _choice(rng, HATE_CODE_MIX_OTHER, len(rows)))
    out = _stream(rng, rows, codes, np.full(len(rows), "day"),
                  np.full(len(rows), "hate", dtype=object), "N")
    out.loc[primary == "misogyny", "victim_sex"] = "F"
    trans = np.flatnonzero(primary == "transgender")
    out.iloc[trans, out.columns.get_loc("victim_sex")] = _choice(
        rng, {"F": 0.35, "M": 0.35, "X": 0.25, "": 0.05}, len(trans))
    return pd.concat([out, _hate_flags(rng, primary)], axis=1).assign(stream="hate")


def _sv_offences(rng: np.random.Generator, months: pd.PeriodIndex,
                 scale: float = 1.0, factors: dict[str, float] | None = None) -> pd.DataFrame:
    means = sv_monthly_means(months,
                             factors=factors) if factors else sv_monthly_means(months) * scale
    rows = _poisson_rows(rng, means)
    codes = rows["key"].to_numpy()
    group = pd.Series(codes).map(offence_codes().set_index("ho_offence_code")["svd_group"])
    hours = group.map(SVD_HOURS).fillna("night").to_numpy()
    out = _stream(rng, rows, codes, hours, group.map(SVD_VICTIMS).to_numpy(), "N")
    return out.assign(stream="sv")


def _lsoa_column(rng: np.random.Generator, offences: pd.DataFrame,
                 lsoas: pd.DataFrame) -> np.ndarray:
    out = np.empty(len(offences), dtype=object)
    codes = lsoas["lsoa21_code"].to_numpy(dtype=object)
    for stream in ("da", "hate", "sv"):
        rows = np.flatnonzero(offences["stream"].to_numpy() == stream)
        weights = lsoas[f"weight_{stream}"].to_numpy(dtype=float)
        out[rows] = codes[rng.choice(len(codes), size=len(rows), p=weights / weights.sum())]
    return out


def study_ethnic_shares(*, ltla_codes: Sequence[str] = STUDY_LTLA_CODES) -> dict[str, float]:
    """Share of residents in each Census 2021 high-level ethnic group in the study councils.

    From the shipped ONS population by ethnic group of upper-tier councils
    (``partner/ons-ethnic-population-la``); councils not in it (districts, Welsh councils) are
    summed from the LSOA 2021 table (``national/census2021/ethnicity21_lsoa21_ew``).

    Parameters
    ----------
    ltla_codes : sequence of str, default STUDY_LTLA_CODES
        The study councils (LAD 2024 codes).

    Returns
    -------
    dict of str to float
        Broad ethnic group -> share of residents (summing to 1).

    Examples
    --------
    >>> shares = study_ethnic_shares()
    >>> round(sum(shares.values()), 6), max(shares, key=shares.get)
    (1.0, 'White')
    """
    from sna.io.partner.ons import read_ethnic_population

    people = read_ethnic_population(_shipped() / "partner" / "ons-ethnic-population-la.csv.gz")
    rows = people.clean[people.clean["area_code"].isin(ltla_codes)]
    totals = rows.groupby("broad_group", observed=True)["residents"].sum()
    totals = totals.reindex(list(ETHNIC_GROUPS), fill_value=0).astype(float)
    others = sorted(set(ltla_codes) - set(rows["area_code"]))
    if others:
        lookup = pd.read_csv(_shipped() / "geography" / "lsoa21_ward24_ltla24_ew.csv.gz",
                             usecols=["lsoa21_code", "ltla24_code"])
        lsoas = lookup.loc[lookup["ltla24_code"].isin(others), "lsoa21_code"]
        from sna.io.census import read_census_tables

        census = read_census_tables()["ethnic_group"]
        census = census.loc[census["lsoa21_code"].isin(lsoas), ["lsoa21_code", "ethnic_group",
                                                                "n"]]
        group = census["ethnic_group"].str.split(r"[ ,]", n=1).str[0]
        totals += census.groupby(group)["n"].sum().reindex(list(ETHNIC_GROUPS),
                                                           fill_value=0).astype(float)
    if totals.sum() == 0:
        return dict.fromkeys(ETHNIC_GROUPS, 1 / len(ETHNIC_GROUPS))
    return (totals / totals.sum()).to_dict()


def _people_kind(offences: pd.DataFrame) -> np.ndarray:
    group = offences["ho_offence_code"].map(offence_codes().set_index("ho_offence_code")
                                            ["svd_group"])
    kind = group.map(SVD_VICTIMS).fillna("violence").to_numpy(dtype=object)
    stream = offences["stream"].to_numpy()
    kind[stream == "da"] = "da"
    kind[stream == "hate"] = "hate"
    return kind


def _people_columns(rng: np.random.Generator, offences: pd.DataFrame,
                    ethnic_shares: dict[str, float]) -> pd.DataFrame:
    """Victim ethnicity and repeat flag, suspect age band, sex and repeat flag (text)."""
    n = len(offences)
    kind = _people_kind(offences)
    has_victim = (offences["victim_sex"].to_numpy(dtype=str) != "") | \
        (offences["victim_age_band"].to_numpy(dtype=str) != "")
    ethnicity = _choice(rng, ethnic_shares, n).astype(object)
    race = offences.get("hate_race", pd.Series(False, index=offences.index)).to_numpy(bool)
    ethnicity[race] = _choice(rng, RACE_HATE_VICTIM_ETHNICITY, int(race.sum()))
    ethnicity[(rng.random(n) < ETHNICITY_NOT_RECORDED) | ~has_victim] = ""
    draws = rng.random((n, 4))
    repeat_victim = np.full(n, "", dtype=object)
    suspect_age = np.full(n, "", dtype=object)
    suspect_sex = np.full(n, "", dtype=object)
    repeat_suspect = np.full(n, "", dtype=object)
    for name, (p_repeat, p_suspect, p_male, p_repeat_suspect, ages) in PEOPLE.items():
        rows = kind == name
        repeat_victim[rows & has_victim] = np.where(draws[rows & has_victim, 0] < p_repeat,
                                                    "Y", "N")
        named = rows & (draws[:, 1] < p_suspect)
        suspect_sex[named] = np.where(draws[named, 2] < p_male, "M", "F")
        repeat_suspect[named] = np.where(draws[named, 3] < p_repeat_suspect, "Y", "N")
        suspect_age[named] = _choice(rng, dict(zip(SUSPECT_AGE_BANDS, ages, strict=True)),
                                     int(named.sum()))
    return pd.DataFrame({"victim_ethnicity": ethnicity, "repeat_victim": repeat_victim,
                         "suspect_age_band": suspect_age, "suspect_sex": suspect_sex,
                         "repeat_suspect": repeat_suspect}, index=offences.index)


def _check_lsoas(lsoas: pd.DataFrame | Sequence[str] | None) -> pd.DataFrame:
    if lsoas is None:
        return study_lsoa_weights()
    if isinstance(lsoas, pd.DataFrame):
        needed = {"lsoa21_code", "weight_da", "weight_sv", "weight_hate"}
        if not needed <= set(lsoas.columns):
            raise SnaInputError(f"lsoas lacks columns {sorted(needed - set(lsoas.columns))}",
                                fix="pass study_lsoa_weights(...) or a list of LSOA codes",
                                column="lsoas")
        return lsoas
    codes = sorted({str(c) for c in lsoas})
    if not codes:
        raise SnaInputError("lsoas is empty", fix="pass at least one LSOA code", column="lsoas")
    return pd.DataFrame({"lsoa21_code": codes, "weight_da": 1.0, "weight_sv": 1.0,
                         "weight_hate": 1.0})


def generate_force_extract(
    *, seed: int = SYNTHETIC_SEED,
    start: str = "2020-04",
    end: str = "2025-12",
    lsoas: pd.DataFrame | Sequence[str] | None = None,
    hate_per_year: float = HATE_OFFENCES_PER_YEAR,
    effects: bool = True,
    scale: float = 1.0,
    sv_factors: dict[str, float] | None = None,
    ethnic_shares: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Generate a SYNTHETIC force extract as text columns in the documented schema.

    Parameters
    ----------
    seed : int, default 20261123
        Seed of the random generator; the same seed gives the same rows.
    start, end : str, default "2020-04", "2025-12"
        First and last month ("YYYY-MM").
    lsoas : DataFrame, sequence of str, or None
        ``None``: the calibration area's LSOAs weighted as in
        :func:`study_lsoa_weights`; a DataFrame with ``lsoa21_code, weight_da,
        weight_sv, weight_hate``; or a list of LSOA codes (equal weights).
    hate_per_year : float, default 1150
        Expected hate offences a year before the built-in effects.
    effects : bool, default True
        Apply the built-in changes in the last 12 months (sexual orientation x1.50;
        disability declining linearly to x0.55). ``False`` gives a stable series.
    scale : float, default 1.0
        Multiplies every expected volume (an area's residents / the calibration area's).
    sv_factors : dict, optional
        police.uk crime type -> multiplier of the calibration area's serious-violence means
        (:func:`sv_factors`); when given they replace ``scale`` for serious violence, so the
        area's own police.uk volumes set its serious-violence volumes.
    ethnic_shares : dict, optional
        Residents' shares of the five ethnic groups victims are drawn from
        (:func:`study_ethnic_shares`); default the calibration area's.

    Returns
    -------
    pandas.DataFrame
        Columns :func:`sna.io.extract.extract_columns`, all text as in the CSV, sorted by
        date and time; ``crime_ref`` is ``SYN`` followed by seven digits.

    Examples
    --------
    >>> demo = generate_force_extract(start="2025-01", end="2025-01", lsoas=["E01027345"])
    >>> demo["crime_ref"].iloc[0], demo["lsoa21_code"].unique().tolist()
    ('SYN0000001', ['E01027345'])
    """
    months = month_range(start, end, name="start/end")
    lsoas = _check_lsoas(lsoas)
    rng = np.random.default_rng(seed)
    offences = pd.concat([_da_offences(rng, months, scale),
                          _hate_offences(rng, months, hate_per_year * scale, effects),
                          _sv_offences(rng, months, scale, sv_factors)], ignore_index=True)
    flag_columns = [strand_column(s) for s in DEFAULT_STRANDS]
    offences[flag_columns] = offences[flag_columns].fillna(False).astype(bool)
    offences["lsoa21_code"] = _lsoa_column(rng, offences, lsoas)
    order = np.lexsort((offences["offence_time"].to_numpy(dtype=str),
                        offences["offence_date"].to_numpy()))
    offences = offences.iloc[order].reset_index(drop=True)
    descriptions = offence_codes().set_index("ho_offence_code")["offence_description"]
    offences["offence_description"] = offences["ho_offence_code"].map(descriptions)
    offences["crime_ref"] = [f"SYN{i:07d}" for i in range(1, len(offences) + 1)]
    people = _people_columns(np.random.default_rng([seed, PEOPLE_STREAM]), offences,
                             ethnic_shares or study_ethnic_shares())
    offences[list(people.columns)] = people
    offences["offence_date"] = pd.DatetimeIndex(offences["offence_date"]).strftime("%Y-%m-%d")
    offences[flag_columns] = np.where(offences[flag_columns], "Y", "N")
    return offences[extract_columns(strands=DEFAULT_STRANDS)].astype(str)


def write_demo_extract(*, path: str | Path | None = None, seed: int = SYNTHETIC_SEED) -> Path:
    """Write the SYNTHETIC demo extract as a reproducible gzipped CSV.

    Parameters
    ----------
    path : str or Path, optional
        Output file; default ``data/raw/shipped/synthetic/`` + :data:`DEMO_FILE_NAME`.
        The name must contain "SYNTHETIC".
    seed : int, default 20261123

    Returns
    -------
    Path
        The file written. The gzip header carries no time stamp or name, so the same
        seed gives a byte-identical file (with the same zlib).

    Raises
    ------
    SnaInputError
        The file name does not contain "SYNTHETIC".
    """
    path = Path(path) if path is not None else _shipped() / "synthetic" / DEMO_FILE_NAME
    if "SYNTHETIC" not in path.name:
        raise SnaInputError(f"file name {path.name!r} does not say SYNTHETIC",
                            fix="put 'SYNTHETIC' in the file name so the demo data is never "
                                "mistaken for real data", column="path", value=str(path))
    return _write_gzip_csv(path, generate_force_extract(seed=seed))


def _write_gzip_csv(path: Path, frame: pd.DataFrame) -> Path:
    text = frame.to_csv(index=False, lineterminator="\n")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


def area_slug(name: str) -> str:
    """A file-name-safe short form of an area name.

    Parameters
    ----------
    name : str
        An area name.

    Returns
    -------
    str
        Lower-case letters and digits joined by ``-``.

    Examples
    --------
    >>> area_slug("Kingston upon Hull, City of")
    'kingston-upon-hull-city-of'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def write_area_extract(codes: Sequence[str] | str, *, out_dir: str | Path | None = None,
                       start: str = "2024-01", end: str = "2025-12",
                       seed: int = SYNTHETIC_SEED) -> Path:
    """Write a SYNTHETIC demo force extract for any area of England and Wales.

    Offences are placed on the area's LSOAs 2021 (weights from Census 2021 residents and
    the national police.uk 2025 aggregate). Serious-violence volumes follow the area's own
    police.uk 2025 volumes by crime type (:func:`sv_factors`); domestic-abuse and hate-crime
    volumes are the calibration area's scaled by the ratio of Census 2021 residents. The file
    name says SYNTHETIC and the area.

    Parameters
    ----------
    codes : str or sequence of str
        Council, CSP or police force area codes (:func:`sna.io.area.resolve_area`).
    out_dir : str or Path, optional
        Folder (default ``data/raw/shipped/synthetic``).
    start, end : str
        First and last month.
    seed : int

    Returns
    -------
    Path
        ``SYNTHETIC_force_extract_<area>_<start>_<end>.csv.gz`` in ``out_dir``.

    Examples
    --------
    >>> import tempfile
    >>> path = write_area_extract("E06000010", out_dir=tempfile.mkdtemp(), start="2025-01",
    ...                           end="2025-02")
    >>> path.name
    'SYNTHETIC_force_extract_kingston-upon-hull-city-of_2025-01_2025-02.csv.gz'
    """
    from sna.io.area import resolve_area

    area = resolve_area(codes)
    weights = study_lsoa_weights(ltla_codes=area.ltla24_codes, police_uk=None)
    scale = float(weights["usual_residents"].sum()) / float(CALIBRATION["usual_residents"])
    frame = generate_force_extract(seed=seed, start=start, end=end, lsoas=weights, scale=scale,
                                   sv_factors=sv_factors(area.ltla24_codes, residents_ratio=scale),
                                   ethnic_shares=study_ethnic_shares(ltla_codes=area.ltla24_codes))
    folder = Path(out_dir) if out_dir is not None else _shipped() / "synthetic"
    name = f"SYNTHETIC_force_extract_{area_slug(area.name)}_{start}_{end}.csv.gz"
    return _write_gzip_csv(folder / name, frame)
