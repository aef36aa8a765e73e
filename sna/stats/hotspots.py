"""Hotspots of area rates with Getis-Ord Gi* (esda), on contiguity weights (libpysal)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from sna.errors import SnaInputError

__all__ = [
    "getis_ord_hotspots",
]


def getis_ord_hotspots(gdf, value_col: str, *, n_permutations: int = 999, alpha: float = 0.05,
                       seed: int = 20261123) -> pd.DataFrame:
    """Classify each area as a hot spot, cold spot or neither with Getis-Ord Gi*.

    Gi* (``esda.G_Local`` with ``star=True``) compares the sum of values in an
    area and its queen-contiguous neighbours with the overall mean. Its
    significance is a conditional permutation pseudo p-value (``p_sim``, esda's directed
    alternative: the share of permutations at least as extreme in the observed direction), with
    no adjustment for the number of areas: about ``alpha`` of areas would be
    flagged by chance, so read hotspots as places to look, not findings.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons in a projected CRS (EPSG:27700) with ``value_col``.
    value_col : str
        The value to test (e.g. a rate per 1,000). Missing values are an error.
    n_permutations : int, default 999
    alpha : float, default 0.05
    seed : int
        Seed of the permutations, so reports are reproducible.

    Returns
    -------
    pandas.DataFrame
        ``z`` (Gi* z-score), ``p_sim``, ``hotspot`` in {"hot spot", "cold spot",
        "not significant"}, aligned with ``gdf``; islands (no neighbours) are
        "not significant".

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cells = [box(x, y, x + 1, y + 1) for y in range(5) for x in range(5)]
    >>> values = [10.0 if (x < 2 and y < 2) else 1.0 for y in range(5) for x in range(5)]
    >>> g = gpd.GeoDataFrame({"v": values}, geometry=cells, crs=27700)
    >>> out = getis_ord_hotspots(g, "v")
    >>> out.loc[0, "hotspot"], out.loc[12, "hotspot"]
    ('hot spot', 'not significant')
    """
    with warnings.catch_warnings():
        # esda imports tqdm.auto, which warns inside Jupyter kernels without ipywidgets.
        warnings.simplefilter("ignore")
        import esda
        from libpysal.weights import Queen

    values = pd.to_numeric(gdf[value_col], errors="coerce")
    if values.isna().any():
        raise SnaInputError(f"{int(values.isna().sum())} area(s) have no value", column=value_col,
                            fix="compute the value for every area before testing for hotspots")
    weights = Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
    weights.transform = "B"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # esda's own future-change notices
        local = esda.G_Local(values.to_numpy(dtype=float), weights, star=True,
                             permutations=n_permutations, seed=seed, transform="B")
    z = np.asarray(local.Zs, dtype=float)
    p = np.asarray(local.p_sim, dtype=float)
    label = np.where((p < alpha) & (z > 0), "hot spot",
                     np.where((p < alpha) & (z < 0), "cold spot", "not significant"))
    islands = np.array([weights.cardinalities[i] == 0 for i in weights.id_order])
    label[islands] = "not significant"
    return pd.DataFrame({"z": z, "p_sim": p, "hotspot": label}, index=gdf.index)
