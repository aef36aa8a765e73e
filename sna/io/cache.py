"""Cache validated police.uk data as Parquet with a manifest.

``data/processed/<name>/`` holds ``clean.parquet``, ``quarantine.parquet`` and
``manifest.json`` (input file hashes, rows in / clean / quarantined by reason,
notes, time, sna version, and the SHA-256 and size of each Parquet file).
Re-running with unchanged inputs does no work, once the Parquet files are checked
against the manifest: a damaged, truncated or missing file makes the cache be
rebuilt from the inputs (``notes["cache_rebuilt"]`` says why, in one line).

Writes are atomic: everything is written to a staging folder next to the target
and moved into place with one rename, so a crash never leaves a half-written cache
that a later run would trust; staging folders left by a killed run are removed by
the next run. The tool only ever replaces a folder it wrote itself (it holds the
marker file :data:`MARKER`), and cache names are plain folder names
(:func:`check_folder_name`). Folders follow the user's umask.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from sna import __version__
from sna.errors import SnaInputError
from sna.io.accounting import Accounted
from sna.io.ingest import find_street_files, read_police_uk
from sna.paths import file_record, file_sha256, processed_dir
from sna.wording import format_count

__all__ = [
    "cache_is_current", "cache_problem", "check_folder_name", "check_replaceable",
    "clean_staging_leftovers", "ingest_to_cache", "input_fingerprint",
    "load_manifest", "make_staging", "move_into_place", "output_error", "read_cache",
    "record_problem", "write_cache", "written_by_sna",
]
MANIFEST = "manifest.json"
MARKER = ".sna-output"
"""File in every folder the tool writes; only folders holding it are ever replaced."""
OUTPUTS = ("clean.parquet", "quarantine.parquet")
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
# Folders written before the marker existed hold only these.
_LEGACY_CONTENT = {MANIFEST, *OUTPUTS, "clean", "quarantine"}
_STAGING = re.compile(r"^\.(?P<name>.+)-(?:staging|old)-(?P<pid>\d+)-")


def check_folder_name(name: object, *, what: str = "cache name") -> str:
    """Return ``name`` if it is a plain folder name, else raise.

    A plain name is 1-100 letters, digits, ``.``, ``_`` or ``-``, starting with a
    letter or digit: never empty, no path separators, never ``.`` or ``..``.

    Parameters
    ----------
    name : object
        The proposed folder name.
    what : str, default "cache name"
        What the name is, used in the error message.

    Returns
    -------
    str
        ``name`` unchanged.

    Examples
    --------
    >>> check_folder_name("humberside")
    'humberside'
    >>> try:
    ...     check_folder_name("../x")
    ... except SnaInputError as err:
    ...     print(err.problem)
    cache name '../x' is not a plain folder name
    """
    if not isinstance(name, str) or not _PLAIN_NAME.match(name) or name in {".", ".."}:
        raise SnaInputError(f"{what} {name!r} is not a plain folder name", column=what,
                            value=name, fix="use letters, digits, '.', '_' or '-' (no '/', "
                                            "'\\' or '..'), starting with a letter or digit, "
                                            "e.g. --name humberside")
    return name


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def make_staging(target: Path) -> Path:
    """A new staging folder beside ``target`` (mode per the umask, with :data:`MARKER`).

    Parameters
    ----------
    target : Path
        The folder the finished output will replace.

    Returns
    -------
    Path
        The new, empty staging folder (holding only the marker file).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-staging-{os.getpid()}-",
                                    dir=target.parent))
    os.chmod(staging, 0o777 & ~_umask())
    (staging / MARKER).write_text("written by sna; safe to replace\n", encoding="utf-8")
    return staging


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_staging_leftovers(parent: Path, name: str) -> list[Path]:
    """Remove staging folders for ``name`` left in ``parent`` by runs that died.

    Only folders named as :func:`make_staging` names them, holding :data:`MARKER`,
    whose process is no longer running, are removed. Returns those removed.

    Parameters
    ----------
    parent : Path
        The folder holding the cache folders.
    name : str
        The cache folder name whose staging leftovers are removed.

    Returns
    -------
    list of Path
        The staging folders removed (empty when none).

    Examples
    --------
    >>> clean_staging_leftovers(Path(tempfile.mkdtemp()), "c")
    []
    """
    removed = []
    if not parent.is_dir():
        return removed
    for child in parent.iterdir():
        found = _STAGING.match(child.name)
        if not (found and found["name"] == name and child.is_dir()):
            continue
        ours = (child / MARKER).exists() or written_by_sna(child / name) \
            or not any(child.iterdir())
        if ours and not _pid_alive(int(found["pid"])):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


def written_by_sna(folder: Path) -> bool:
    """True when ``folder`` holds :data:`MARKER` (or only a pre-marker cache's files).

    Parameters
    ----------
    folder : Path
        The folder to check.

    Returns
    -------
    bool
        Whether sna wrote ``folder``.
    """
    if (folder / MARKER).is_file():
        return True
    try:
        names = {child.name for child in folder.iterdir()}
    except OSError:
        return False
    return MANIFEST in names and names <= _LEGACY_CONTENT


def check_replaceable(target: Path) -> bool:
    """Return whether ``target`` exists; raise if it exists but sna did not write it.

    Parameters
    ----------
    target : Path
        The output folder about to be replaced.

    Returns
    -------
    bool
        True when ``target`` exists (and sna wrote it), False when it does not exist.

    Raises
    ------
    SnaInputError
        ``target`` is a file, a symbolic link, or a folder without :data:`MARKER`.
    """
    if not (target.exists() or target.is_symlink()):
        return False
    if target.is_symlink() or not target.is_dir() or not written_by_sna(target):
        raise SnaInputError(
            "the output folder exists and was not written by sna; it is left untouched",
            file=str(target), fix="choose another name or --out folder, or remove it "
                                  "yourself if it is an old cache")
    return True


def output_error(err: OSError, where: Path) -> SnaInputError:
    """An OS error while writing outputs, as a one-line :class:`SnaInputError`.

    Parameters
    ----------
    err : OSError
        The error raised while writing.
    where : Path
        The file or folder being written.

    Returns
    -------
    SnaInputError
        The error to raise, naming ``where``, the problem and the fix.
    """
    if err.errno == errno.ENOSPC:
        problem, fix = "the disk is full", "free some space and run again"
    elif err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        problem = "the output folder cannot be written (read-only or no permission)"
        fix = "choose a folder you can write to (--out), or fix its permissions"
    else:
        problem = f"writing the output failed ({err.strerror or err})"
        fix = "check the output folder and run again"
    return SnaInputError(problem, file=str(where), fix=fix)


def input_fingerprint(source: Iterable[Path], options: dict) -> dict:
    """Hashes of every input file plus the options and sna version that shape the output.

    Parameters
    ----------
    source : iterable of Path
        Police.uk street files or folders holding them.
    options : dict
        The ingest options (``duplicates``, forces, months, ...).

    Returns
    -------
    dict
        ``sna_version``, ``options`` and ``inputs`` (path -> size and SHA-256 record).
    """
    duplicates = options.get("duplicates", "error")
    files = sorted({f.path for f in find_street_files(list(source), duplicates=duplicates)})
    return {
        "sna_version": __version__,
        "options": options,
        "inputs": {str(p): file_record(p) for p in files},
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
    the new complete folder, never a half-written one. A ``target`` that is not
    a folder this tool wrote (see :func:`written_by_sna`) is never replaced.

    Parameters
    ----------
    staging : Path
        The finished staging folder.
    target : Path
        The folder it replaces.

    Raises
    ------
    SnaInputError
        ``target`` exists and was not written by sna.
    """
    old = None
    if check_replaceable(target):
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-{os.getpid()}-",
                                    dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def load_manifest(folder: Path) -> tuple[object, str | None]:
    """Read ``folder``'s manifest: ``(manifest, None)``, or ``(None, why it cannot be read)``.

    Parameters
    ----------
    folder : Path
        A cache folder.

    Returns
    -------
    tuple of (object, str or None)
        The parsed manifest and None, or None and the reason it cannot be read.

    Examples
    --------
    >>> load_manifest(Path(tempfile.mkdtemp()))
    (None, 'manifest.json is missing')
    """
    try:
        return json.loads((folder / MANIFEST).read_text()), None
    except FileNotFoundError:
        return None, f"{MANIFEST} is missing"
    except (OSError, ValueError) as err:
        return None, f"{MANIFEST} is unreadable ({type(err).__name__})"


def record_problem(path: Path, name: str, record: dict, *, hashes: bool = True) -> str | None:
    """Why the file at ``path`` does not match its manifest ``record`` (one line), or None.

    The size must match and, with ``hashes``, the SHA-256 too (as written by :func:`write_cache`).

    Parameters
    ----------
    path : Path
        The file to check.
    name : str
        Its name in messages.
    record : dict
        Its manifest record (``bytes`` and ``sha256``).
    hashes : bool, default True
        Also compare the SHA-256 (False checks the size only).

    Returns
    -------
    str or None
        The problem in one line, or None when the file matches.

    Examples
    --------
    >>> record_problem(Path(tempfile.mkdtemp()) / "x.parquet", "x.parquet", {"bytes": 1})
    'x.parquet is missing'
    """
    try:
        size = path.stat().st_size
        if size != record.get("bytes"):
            return f"{name} has {format_count(size)} bytes, not the {record.get('bytes')} recorded"
        if hashes and file_sha256(path) != record.get("sha256"):
            return f"{name} does not match its recorded SHA-256 (damaged)"
    except FileNotFoundError:
        return f"{name} is missing"
    except OSError as err:
        return f"{name} is unreadable ({err.strerror or err})"
    return None


def write_cache(accounted: Accounted, target: Path, fingerprint: dict, seconds: float) -> Path:
    """Write clean/quarantine Parquet and the manifest atomically into ``target``.

    Parameters
    ----------
    accounted : Accounted
        The clean and quarantined rows with their counts and notes.
    target : Path
        The cache folder to write (replaced atomically).
    fingerprint : dict
        The inputs' fingerprint from :func:`input_fingerprint`, stored in the manifest.
    seconds : float
        How long the ingest took, stored in the manifest.

    Returns
    -------
    Path
        ``target``.
    """
    try:
        staging = make_staging(target)
    except OSError as err:
        raise output_error(err, target.parent) from None
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
            "outputs": {name: file_record(staging / name) for name in OUTPUTS},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str))
        move_into_place(staging, target)
    except BaseException as err:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(err, OSError):
            raise output_error(err, target) from None
        raise
    return target


def read_cache(target: Path) -> Accounted:
    """Read a cache folder written by :func:`write_cache` back into an Accounted.

    Parameters
    ----------
    target : Path
        A cache folder written by :func:`write_cache`.

    Returns
    -------
    Accounted
        The clean and quarantined rows, rows in and notes.

    Raises
    ------
    SnaInputError
        The folder is not a readable cache (missing, truncated or corrupt files).
    """
    try:
        manifest = json.loads((target / MANIFEST).read_text())
        clean = _from_parquet_frame(pd.read_parquet(target / "clean.parquet"))
        quarantine = _from_parquet_frame(pd.read_parquet(target / "quarantine.parquet"))
        return Accounted(clean, quarantine, manifest["rows_in"], manifest["notes"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise SnaInputError(f"the cache cannot be read ({type(err).__name__})",
                            file=str(target), fix="run sna ingest again to rebuild it") from None


def cache_problem(target: Path) -> str | None:
    """Why ``target`` is not an intact cache (one line), or None when every file checks out.

    Each Parquet file's size and SHA-256 must match the manifest.

    Parameters
    ----------
    target : Path
        A cache folder.

    Returns
    -------
    str or None
        The first problem found, or None when the cache is intact.

    Examples
    --------
    >>> cache_problem(Path(tempfile.mkdtemp()))
    'manifest.json is missing'
    """
    manifest, problem = load_manifest(target)
    if problem is not None:
        return problem
    outputs = manifest.get("outputs") if isinstance(manifest, dict) else None
    if not isinstance(outputs, dict):
        return f"{MANIFEST} records no Parquet hashes (written by an older sna)"
    for name in OUTPUTS:
        problem = record_problem(target / name, name, outputs.get(name) or {})
        if problem is not None:
            return problem
    return None


def cache_is_current(target: Path, fingerprint: dict) -> bool:
    """True when ``target`` holds an intact cache made from exactly these inputs.

    Parameters
    ----------
    target : Path
        A cache folder.
    fingerprint : dict
        The current inputs' fingerprint from :func:`input_fingerprint`.

    Returns
    -------
    bool
        Whether the cache is intact and its version, options and inputs match ``fingerprint``.
    """
    if cache_problem(target) is not None:
        return False
    manifest = json.loads((target / MANIFEST).read_text())
    keys = ("sna_version", "options", "inputs")
    return all(manifest.get(k) == json.loads(json.dumps(fingerprint[k])) for k in keys)


def _same_inputs(target: Path, fingerprint: dict) -> bool:
    try:
        manifest = json.loads((target / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    keys = ("sna_version", "options", "inputs")
    return isinstance(manifest, dict) and all(
        manifest.get(k) == json.loads(json.dumps(fingerprint[k])) for k in keys)


def ingest_to_cache(
    source: str | Path | Iterable[str | Path],
    name: str,
    *,
    forces: Iterable[str] | None = None,
    months: tuple[str, str] | None = None,
    out_dir: str | Path | None = None,
    progress: bool = False,
    duplicates: str = "error",
) -> tuple[Accounted, bool]:
    """Validate police.uk files into ``<out_dir>/<name>/`` unless the cache is current.

    ``name`` must be a plain folder name (:func:`check_folder_name`); a folder of
    that name not written by sna is never replaced. A cache made from the same
    inputs whose Parquet files no longer match the manifest is rebuilt, and
    ``notes["cache_rebuilt"]`` says why. ``duplicates`` is passed to
    :func:`sna.io.ingest.read_police_uk`.

    Parameters
    ----------
    source : str, Path or iterable of str or Path
        Police.uk street files or folders holding them.
    name : str
        The cache folder name under ``out_dir``.
    forces : iterable of str, optional
        Keep only these forces (all when None).
    months : tuple of (str, str), optional
        First and last month (``"YYYY-MM"``) to keep (all when None).
    out_dir : str or Path, optional
        Where cache folders are kept (``processed_dir()`` when None).
    progress : bool, default False
        Print progress while ingesting.
    duplicates : str, default "error"
        What to do with a force-month supplied twice (see ``read_police_uk``).

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
    check_folder_name(name)
    sources = [Path(source)] if isinstance(source, (str, Path)) else [Path(s) for s in source]
    options = {"forces": sorted(forces) if forces else None, "months": list(months or [])}
    if duplicates != "error":
        options["duplicates"] = duplicates
    target = Path(out_dir or processed_dir()) / name
    check_replaceable(target)  # before any work: never replace a folder sna did not write
    clean_staging_leftovers(target.parent, name)
    fingerprint = input_fingerprint(sources, options)
    rebuilt = None
    if _same_inputs(target, fingerprint):
        rebuilt = cache_problem(target)
        if rebuilt is None:
            try:
                return read_cache(target), False
            except SnaInputError:
                rebuilt = "the Parquet files cannot be read"
    started = time.perf_counter()
    accounted = read_police_uk(sources, forces=forces, months=months, progress=progress,
                               duplicates=duplicates)
    write_cache(accounted, target, fingerprint, time.perf_counter() - started)
    if rebuilt is not None:  # said once, not stored in the manifest
        accounted.notes["cache_rebuilt"] = (f"cache {target} was damaged ({rebuilt}): "
                                            "rebuilt from the inputs")
    return accounted, True
