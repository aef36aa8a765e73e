"""Cache validated police.uk data as Parquet with a manifest.

``data/processed/<name>/`` holds ``clean.parquet``, ``quarantine.parquet`` and
``manifest.json`` (input file hashes, rows in / clean / quarantined by reason,
notes, time, sna version). Re-running with unchanged inputs does no work.
Writes are atomic: everything is written to a temporary folder next to the
target and moved into place with one rename, so a crash never leaves a
half-written cache that a later run would trust.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from sna import __version__
from sna.io.accounting import Accounted
from sna.io.ingest import find_street_files, read_police_uk
from sna.paths import file_sha256, processed_dir

__all__ = [
    "cache_is_current",
    "ingest_to_cache",
    "input_fingerprint",
    "move_into_place",
    "read_cache",
    "write_cache",
]

MANIFEST = "manifest.json"



def input_fingerprint(source: Iterable[Path], options: dict) -> dict:
    """Hashes of every input file plus the options and sna version that shape the output."""
    files = sorted({f.path for f in find_street_files(list(source))})
    return {
        "sna_version": __version__,
        "options": options,
        "inputs": {str(p): {"sha256": file_sha256(p), "bytes": p.stat().st_size} for p in files},
    }


def _to_parquet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if "month" in out and isinstance(out["month"].dtype, pd.PeriodDtype):
        out["month"] = out["month"].dt.to_timestamp().astype("datetime64[ms]")
    return out


def _from_parquet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    if "month" in frame and pd.api.types.is_datetime64_any_dtype(frame["month"]):
        frame["month"] = frame["month"].dt.to_period("M")
    return frame


def move_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` with the finished ``staging`` folder by renames only.

    The old folder is renamed aside first, so a reader sees either the old or
    the new complete folder, never a half-written one.
    """
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_cache(accounted: Accounted, target: Path, fingerprint: dict, seconds: float) -> Path:
    """Write clean/quarantine Parquet and the manifest atomically into ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        _to_parquet_frame(accounted.clean).to_parquet(staging / "clean.parquet", index=False)
        quarantine = accounted.quarantine.astype({"reason": str})
        _to_parquet_frame(quarantine).to_parquet(staging / "quarantine.parquet", index=False)
        manifest = {
            **fingerprint,
            "rows_in": accounted.rows_in,
            "rows_clean": len(accounted.clean),
            "rows_quarantined": len(accounted.quarantine),
            "quarantine_reasons": accounted.quarantine["reason"].value_counts().to_dict(),
            "notes": accounted.notes,
            "written_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "ingest_seconds": round(seconds, 2),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str))
        move_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def read_cache(target: Path) -> Accounted:
    """Read a cache folder written by :func:`write_cache` back into an Accounted."""
    manifest = json.loads((target / MANIFEST).read_text())
    clean = _from_parquet_frame(pd.read_parquet(target / "clean.parquet"))
    quarantine = _from_parquet_frame(pd.read_parquet(target / "quarantine.parquet"))
    return Accounted(clean, quarantine, manifest["rows_in"], manifest["notes"])


def cache_is_current(target: Path, fingerprint: dict) -> bool:
    """True when ``target`` holds a complete cache made from exactly these inputs."""
    manifest_path = target / MANIFEST
    if not manifest_path.exists() or not (target / "clean.parquet").exists():
        return False
    manifest = json.loads(manifest_path.read_text())
    keys = ("sna_version", "options", "inputs")
    return all(manifest.get(k) == json.loads(json.dumps(fingerprint[k])) for k in keys)


def ingest_to_cache(
    source: str | Path | Iterable[str | Path],
    name: str,
    *,
    forces: Iterable[str] | None = None,
    months: tuple[str, str] | None = None,
    out_dir: str | Path | None = None,
    progress: bool = False,
) -> tuple[Accounted, bool]:
    """Validate police.uk files into ``<out_dir>/<name>/`` unless the cache is current.

    Returns
    -------
    (Accounted, bool)
        The data, and whether any ingest work was done (False when the cache
        was already current).

    Examples
    --------
    >>> import tempfile
    >>> from sna.paths import raw_dir
    >>> src = raw_dir() / "shipped/police_uk/cumbria/2025-01-cumbria-street.csv.gz"
    >>> out = tempfile.mkdtemp()
    >>> _, worked = ingest_to_cache(src, "cumbria", out_dir=out)
    >>> _, again = ingest_to_cache(src, "cumbria", out_dir=out)
    >>> worked, again
    (True, False)
    """
    sources = [Path(source)] if isinstance(source, (str, Path)) else [Path(s) for s in source]
    options = {"forces": sorted(forces) if forces else None, "months": list(months or [])}
    target = Path(out_dir or processed_dir()) / name
    fingerprint = input_fingerprint(sources, options)
    if cache_is_current(target, fingerprint):
        return read_cache(target), False
    started = time.perf_counter()
    accounted = read_police_uk(sources, forces=forces, months=months, progress=progress)
    write_cache(accounted, target, fingerprint, time.perf_counter() - started)
    return accounted, True
