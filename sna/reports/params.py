"""Read a report's params YAML and check it against the notebook's ``parameters`` cell.

papermill only *logs* a parameter the notebook does not declare, so a typo in a YAML
key would be silently ignored. :func:`load_params` fails fast instead:
every key must be declared in the notebook's cell tagged ``parameters``, and every value
must have the type of that parameter's default.
"""

from __future__ import annotations

import ast
import difflib
import importlib
from pathlib import Path
from typing import Any

import nbformat
import yaml

from sna.checks import check_conf
from sna.errors import SnaInputError

__all__ = [
    "check_params",
    "load_params",
    "notebook_metadata",
    "notebook_parameters",
    "read_params_yaml",
]

#: Keys the runner understands even when the notebook does not declare them. They are
#: passed on to the notebook only if its ``parameters`` cell declares them.
RUNNER_KEYS: dict[str, type] = {"uses_synthetic_data": bool}

_TYPE_NAMES = {bool: "true/false", int: "a whole number", float: "a number", str: "text",
               list: "a list", dict: "a mapping"}


class _NoDatesSafeLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, as papermill's own loader does."""


_NoDatesSafeLoader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_params_yaml(params_file: str | Path) -> dict[str, Any]:
    r"""Read a params YAML file into a dict, keeping dates as plain strings.

    Parameters
    ----------
    params_file : str or Path
        The YAML file; its top level must be a mapping of parameter names to values.

    Returns
    -------
    dict
        The parameters (an empty file gives ``{}``).

    Raises
    ------
    SnaInputError
        The file is missing, is not valid YAML (the message names the line), or its top
        level is not a mapping.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.yaml"
    >>> _ = path.write_text("period_end: 2025-03-31\ncount: 3\n")
    >>> read_params_yaml(path)
    {'period_end': '2025-03-31', 'count': 3}
    """
    path = Path(params_file)
    if not path.is_file():
        raise SnaInputError("params file not found", file=str(path),
                            fix="check the path, e.g. params/<report>_<area>_<period>.yaml")
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDatesSafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise SnaInputError(
            f"the file is not valid YAML ({problem})", file=str(path),
            row=mark.line + 1 if mark is not None else None,
            fix="write one 'key: value' per line, indent with spaces (no tabs) and quote "
                "text containing ':' or '#'",
        ) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise SnaInputError(
            f"the top level is a {type(loaded).__name__}, not a mapping of parameters",
            file=str(path), fix="write one 'key: value' line per parameter, not a list or text")
    bad_keys = [key for key in loaded if not isinstance(key, str) or not key.isidentifier()]
    if bad_keys:
        raise SnaInputError(f"parameter name {bad_keys[0]!r} is not a valid name", file=str(path),
                            column=str(bad_keys[0]),
                            fix="use names made of letters, digits and '_' as in the notebook")
    return loaded


def notebook_parameters(notebook: str | Path) -> dict[str, Any]:
    """Return the parameters a notebook declares, mapped to their default values.

    Parameters
    ----------
    notebook : str or Path
        A notebook with one code cell tagged ``parameters`` holding ``name = literal`` lines.

    Returns
    -------
    dict
        ``{name: default}``. A default that is not a Python literal maps to
        :data:`NOT_LITERAL` (its type is then not checked).

    Raises
    ------
    SnaInputError
        The notebook is missing or has no cell tagged ``parameters``.

    Examples
    --------
    >>> from sna.paths import repo_root
    >>> sorted(notebook_parameters(repo_root() / "tests/fixtures/report/tiny.ipynb"))[:3]
    ['area', 'count_a', 'count_b']
    """
    import papermill

    path = Path(notebook)
    if not path.is_file():
        raise SnaInputError("notebook not found", file=str(path),
                            fix="check the notebook path, e.g. notebooks/<report>.ipynb")
    nb = nbformat.read(path, as_version=4)
    if not any("parameters" in cell.metadata.get("tags", []) for cell in nb.cells):
        raise SnaInputError(
            "the notebook has no cell tagged 'parameters'", file=str(path),
            fix="in JupyterLab open the property inspector on the cell holding the defaults "
                "and add the tag 'parameters'")
    inspected = papermill.inspect_notebook(str(path))
    return {name: _literal_default(info["default"]) for name, info in inspected.items()}


class _NotLiteral:
    """Marker for a default that is not a Python literal."""

    def __repr__(self) -> str:
        return "NOT_LITERAL"


NOT_LITERAL = _NotLiteral()


def _literal_default(source: str) -> Any:
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return NOT_LITERAL


def _expected_type(default: Any) -> type | None:
    for kind in (bool, int, float, str, list, tuple, dict):
        if isinstance(default, kind):
            return list if kind is tuple else kind
    return None


def _type_matches(value: Any, expected: type) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if expected is float:
        return isinstance(value, int | float)
    return isinstance(value, expected)


def check_params(params: dict[str, Any], declared: dict[str, Any], *, file: str) -> None:
    """Check parameter names and value types against the notebook's declared defaults.

    Parameters
    ----------
    params : dict
        Parameters read from ``file``.
    declared : dict
        ``{name: default}`` from :func:`notebook_parameters`.
    file : str
        The params file, named in error messages.

    Raises
    ------
    SnaInputError
        An unknown key (with the closest allowed key suggested), or a value whose type is not
        the type of the default (bool, int, float, str, list or dict; an int is accepted where
        the default is a float; a ``None`` default accepts anything).

    Examples
    --------
    >>> check_params({"period_end": "2025-03"}, {"period_end": "2024-03"}, file="p.yaml")
    >>> try:
    ...     check_params({"period_ed": "2025-03"}, {"period_end": "2024-03"}, file="p.yaml")
    ... except SnaInputError as err:
    ...     print(err.problem)
    unknown parameter 'period_ed' (did you mean 'period_end'?)
    """
    allowed = {**dict.fromkeys(RUNNER_KEYS), **declared}
    for key, value in params.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise SnaInputError(
                f"unknown parameter '{key}'{hint}", file=file, column=key,
                fix=f"use only the parameters the notebook declares: {', '.join(sorted(allowed))}")
        expected = RUNNER_KEYS.get(key) or _expected_type(declared.get(key))
        if expected is not None and not _type_matches(value, expected):
            raise SnaInputError(
                f"parameter '{key}' should be {_TYPE_NAMES[expected]} like the notebook's "
                f"default {declared.get(key)!r}, got {type(value).__name__} {value!r}",
                file=file, column=key, value=value,
                fix=f"write {key} as {_TYPE_NAMES[expected]}"
                    + (" (put quotes around it)" if expected is str else ""))


def load_params(params_file: str | Path, notebook: str | Path) -> dict[str, Any]:
    """Read a params YAML and validate it against a notebook's ``parameters`` cell.

    Parameters
    ----------
    params_file : str or Path
        YAML mapping of parameter names to values. Dates stay strings (as in papermill);
        keep values plain scalars, lists and dicts.
    notebook : str or Path
        The report notebook whose cell tagged ``parameters`` declares the allowed keys and,
        through the type of each default, the allowed value types.

    Returns
    -------
    dict
        The validated parameters, as given in the file (defaults are not filled in), after
        the notebook's own validator if it has one (notebook metadata
        ``{"sna": {"validator": "module:function"}}``; the function takes
        ``(params, params_file)``, raises :class:`SnaInputError` on bad values and may return
        a new dict).

    Raises
    ------
    SnaInputError
        Bad YAML, a top level that is not a mapping, a notebook with no ``parameters`` cell,
        an unknown key (the message suggests the closest allowed key), a value of the wrong
        type, a ``conf`` that the methods do not accept (:func:`sna.checks.check_conf`), or
        whatever the notebook's validator rejects.

    Examples
    --------
    >>> from sna.paths import repo_root
    >>> fixtures = repo_root() / "tests/fixtures/report"
    >>> load_params(fixtures / "tiny_good.yaml", fixtures / "tiny.ipynb")["count_b"]
    12
    """
    params = read_params_yaml(params_file)
    declared = notebook_parameters(notebook)
    check_params(params, declared, file=str(params_file))
    if "conf" in params:
        check_conf(params["conf"], file=str(params_file))
    validator = notebook_metadata(notebook).get("validator")
    if validator:
        result = _load_validator(validator, notebook)(params, Path(params_file))
        if result is not None:
            params = dict(result)
    return params


def notebook_metadata(notebook: str | Path) -> dict[str, Any]:
    """Return the notebook's ``metadata["sna"]`` mapping (empty if absent).

    Examples
    --------
    >>> from sna.paths import repo_root
    >>> notebook_metadata(repo_root() / "tests/fixtures/report/tiny.ipynb")
    {}
    """
    nb = nbformat.read(Path(notebook), as_version=4)
    meta = nb.metadata.get("sna", {})
    return dict(meta) if isinstance(meta, dict) else {}


def _load_validator(spec: str, notebook: str | Path):
    module_name, _, function_name = str(spec).partition(":")
    try:
        return getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError, ValueError):
        raise SnaInputError(
            f"the notebook's validator {spec!r} cannot be imported", file=str(notebook),
            fix="set metadata sna.validator to 'package.module:function' naming an existing "
                "function") from None
