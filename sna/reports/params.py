"""Read a report's params YAML and check it against the notebook's ``parameters`` cell.

papermill only *logs* a parameter the notebook does not declare, so a typo in a YAML
key would be silently ignored. :func:`load_params` fails fast instead,
before any cell runs:

* the YAML is read strictly: a repeated key, an alias (``*name``, the "billion laughs"
  expansion) or a file over :data:`MAX_PARAMS_BYTES` is an error;
* every key must be declared in the notebook's cell tagged ``parameters``, and every
  value must have the *shape* of that parameter's default: its type and, inside
  mappings and lists, the types and keys of the default's items (so an unknown key
  inside ``neighbours: {force: {police_uk, pfa24_code}}`` is an error too);
* every value is range-checked by the declarative :data:`VALUE_RULES` (by parameter
  name) and :data:`SUFFIX_RULES` (by name ending, e.g. every ``*_month``): months
  real, ordered, not in the future and within the data; thresholds sane; input paths
  existing and of the right kind.

A section that adds a parameter declares it in the notebook (its default gives the
shape) and, if its values have a range, adds one entry to :data:`VALUE_RULES`.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import yaml

from sna.checks import check_conf
from sna.errors import SnaInputError
from sna.wording import format_count

__all__ = [
    "RuleContext", "check_params", "check_shape", "check_values", "codes_rule", "conf_rule",
    "count_threshold_rule", "current_month", "first_last_rule", "load_params", "month_rule",
    "neighbours_rule", "notebook_metadata", "notebook_parameters", "read_params_yaml", "text_rule",
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


MAX_PARAMS_BYTES = 256 * 1024
"""Largest params file read (a params file is a few hundred bytes)."""


class _ParamsYamlProblem(Exception):
    def __init__(self, problem: str, line: int | None, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.line, self.fix = problem, line, fix


class _StrictLoader(_NoDatesSafeLoader):
    """The safe loader, refusing aliases and repeated keys."""

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _ParamsYamlProblem(
                f"YAML aliases are not allowed (*{event.anchor})", event.start_mark.line + 1,
                "write each value out in full instead of '&name' / '*name' references")
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML hook
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # PyYAML reports unhashable keys itself
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _ParamsYamlProblem(
                    f"key {key!r} is given twice (lines {seen[key]} and {line})", line,
                    "keep one of the two lines; a repeated key would silently win")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


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
    if path.stat().st_size > MAX_PARAMS_BYTES:
        raise SnaInputError(f"the params file is larger than {format_count(MAX_PARAMS_BYTES)} "
                            "bytes",
                            file=str(path), fix="a params file holds a few settings; check "
                                                "it is the right file")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise SnaInputError("the params file is not UTF-8 text", file=str(path),
                            fix="save it as UTF-8 (any text editor)") from None
    try:
        loaded = yaml.load(text, Loader=_StrictLoader)
    except _ParamsYamlProblem as err:
        raise SnaInputError(err.problem, file=str(path), row=err.line, fix=err.fix) from None
    except RecursionError:
        raise SnaInputError("the file nests too deeply", file=str(path),
                            fix="write plain 'key: value' lines, lists and mappings") from None
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
    try:
        inspected = papermill.inspect_notebook(str(path))
    except ValueError as err:
        raise SnaInputError(f"the notebook's parameters cannot be read ({err})", file=str(path),
                            fix="open and save the notebook in JupyterLab with the Python 3 "
                                "kernel") from None
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
        if key in declared:
            check_shape(value, declared[key], key, file=file)


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_shape(value: Any, default: Any, where: str, *, file: str | None = None) -> None:
    """Check ``value`` has the nested shape of the notebook's ``default``.

    * a list default: every item has the type (and shape) of the default's items;
    * a mapping default whose values are all mappings (records, e.g. ``neighbours``):
      every value is a mapping using only the keys found in the default's records,
      each with the type of that key's default;
    * any other mapping default (labels to values, e.g. ``offence_groups``): keys are
      text and every value has the shape of the default's values.

    Defaults that are empty, mixed, ``None`` or not literals constrain nothing more.

    Parameters
    ----------
    value : object
        The value given.
    default : object
        The notebook's default, whose shape the value must have.
    where : str
        The parameter (and key) checked, named in errors.
    file : str, optional
        The params file, named in error messages.

    Examples
    --------
    >>> default = {"A": {"police_uk": "x", "pfa24_code": "E23000009"}}
    >>> check_shape({"B": {"police_uk": "y"}}, default, "neighbours")
    >>> try:
    ...     check_shape({"B": {"polce_uk": "y"}}, default, "neighbours")
    ... except SnaInputError as err:
    ...     print(err.problem)
    unknown key 'polce_uk' in neighbours['B'] (did you mean 'police_uk'?)
    """
    if isinstance(default, list | tuple) and isinstance(value, list | tuple):
        item = _common_default(default)
        if item is not None:
            for index, element in enumerate(value):
                _check_item(element, item, f"{where}[{index}]", file)
        return
    if not (isinstance(default, dict) and isinstance(value, dict)) or not default:
        return
    for key in value:
        if not isinstance(key, str):
            raise SnaInputError(f"key {key!r} in {where} is not text", file=file, column=where,
                                value=key, fix="put quotes around the key")
    records = list(default.values())
    if all(isinstance(r, dict) for r in records):
        fields: dict[str, Any] = {}
        for record in records:
            for name, field_default in record.items():
                fields.setdefault(name, field_default)
        for key, record in value.items():
            place = f"{where}[{key!r}]"
            if not isinstance(record, dict):
                raise SnaInputError(
                    f"{place} should be a mapping with keys {', '.join(fields)}, got "
                    f"{_describe(record)}", file=file, column=where, value=record,
                    fix=f"write it as 'key: value' lines with keys from: {', '.join(fields)}")
            for name, field in record.items():
                if name not in fields:
                    close = difflib.get_close_matches(str(name), list(fields), n=1, cutoff=0.6)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    raise SnaInputError(f"unknown key {name!r} in {place}{hint}", file=file,
                                        column=where, value=name,
                                        fix=f"use only the keys: {', '.join(fields)}")
                _check_item(field, fields[name], f"{place}[{name!r}]", file)
        return
    item = _common_default(records)
    if item is not None:
        for key, element in value.items():
            _check_item(element, item, f"{where}[{key!r}]", file)


def _common_default(items: Any) -> Any:
    """One representative default for a list of defaults of one type (else None)."""
    items = [item for item in items if item is not None]
    if not items:
        return None
    kinds = {_expected_type(item) for item in items}
    if len(kinds) != 1 or None in kinds:
        return None
    kind = kinds.pop()
    if kind is dict:
        merged: dict = {}
        for item in items:
            merged.update(item)
        return merged
    if kind is list:
        inner = [element for item in items for element in item]
        return inner
    return items[0]


def _check_item(value: Any, default: Any, where: str, file: str | None) -> None:
    expected = _expected_type(default)
    if expected is None or default is NOT_LITERAL:
        return
    if not _type_matches(value, expected):
        raise SnaInputError(f"{where} should be {_TYPE_NAMES[expected]}, got "
                            f"{type(value).__name__} {_describe(value)}", file=file,
                            column=where.split("[")[0], value=value,
                            fix=f"write it as {_TYPE_NAMES[expected]} like the notebook's "
                                f"default {_describe(default)}")
    check_shape(value, default, where, file=file)


# ---------------------------------------------------------------- value rules

#: One value check: ``rule(value, params, context)``; raises SnaInputError.
Rule = Callable[[Any, dict[str, Any], "RuleContext"], None]

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class RuleContext:
    """What a rule may need besides the value: the parameter name and the params file."""

    def __init__(self, key: str, file: str | None) -> None:
        self.key, self.file = key, file

    def error(self, problem: str, fix: str, *, value: Any = None) -> SnaInputError:
        """A :class:`SnaInputError` naming the params file and this parameter.

        Parameters
        ----------
        problem : str
            What is wrong.
        fix : str
            How to fix it.
        value : object, optional
            The offending value, named in the message.

        Returns
        -------
        SnaInputError
            Naming the file, the parameter and the value, to be raised.
        """
        return SnaInputError(problem, file=self.file, column=self.key, value=value, fix=fix)


def current_month() -> str:
    """Return the current month, ``YYYY-MM`` (UTC).

    Returns
    -------
    str
        ``"YYYY-MM"``.
    """
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m")


def month_rule(value: Any, params: dict[str, Any], ctx: RuleContext) -> None:
    """A real month ``YYYY-MM`` (01-12), not after the current month.

    Parameters
    ----------
    value : object
        The parameter's value.
    params : dict
        Parameters read from the params file.
    ctx : RuleContext
        The parameter being checked and its params file.
    """
    if not isinstance(value, str) or not _MONTH.match(value):
        raise ctx.error(f"{ctx.key} {value!r} is not a month (YYYY-MM, month 01 to 12)",
                        "write it as 'YYYY-MM', e.g. '2025-12'", value=value)
    if value > current_month():
        raise ctx.error(f"{ctx.key} {value} is in the future (now {current_month()})",
                        "use a month whose data has been published", value=value)


def first_last_rule(value: Any, params: dict[str, Any], ctx: RuleContext) -> None:
    """``first_month`` not after ``last_month``, both within the police.uk data.

    Parameters
    ----------
    value : object
        The parameter's value.
    params : dict
        Parameters read from the params file.
    ctx : RuleContext
        The parameter being checked and its params file.
    """
    first, last = params.get("first_month"), params.get("last_month")
    if not (isinstance(first, str) and isinstance(last, str)):
        return
    if first > last:
        raise ctx.error(f"first_month {first} is after last_month {last}",
                        "give the earlier month as first_month", value=last)
    months = _data_months(params.get("police_uk"))
    if months and (first > months[-1] or last < months[0]):
        raise ctx.error(f"the study period {first} to {last} is outside the police.uk data "
                        f"({months[0]} to {months[-1]})",
                        f"choose months between {months[0]} and {months[-1]}", value=last)


def _data_months(source: Any) -> list[str]:
    if not isinstance(source, str) or not source.strip():
        return []
    from sna.io.ingest import STREET_FILE

    path = _project_path(source)
    if not path.is_dir():
        return []
    found = sorted({m["month"] for p in path.rglob("*") if (m := STREET_FILE.search(p.name))})
    return found


def _project_path(text: str) -> Path:
    from sna.paths import repo_root

    path = Path(text)
    return path if path.is_absolute() else repo_root() / path


def count_threshold_rule(value: Any, params: dict[str, Any], ctx: RuleContext) -> None:
    """A disclosure threshold: a whole number from 1 to 100.

    Parameters
    ----------
    value : object
        The parameter's value.
    params : dict
        Parameters read from the params file.
    ctx : RuleContext
        The parameter being checked and its params file.
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise ctx.error(f"{ctx.key} must be a whole number from 1 to 100, got {value!r}",
                        "use 5 for tables, 10 for hate-crime and domestic-abuse breakdowns "
                        "below local-authority level (above 100 every small-area cell would "
                        "be suppressed)", value=value)


def conf_rule(value: Any, params: dict[str, Any], ctx: RuleContext) -> None:
    """A confidence level in ``[0.9, 1)`` (:func:`sna.checks.check_conf`).

    Parameters
    ----------
    value : object
        The parameter's value.
    params : dict
        Parameters read from the params file.
    ctx : RuleContext
        The parameter being checked and its params file.
    """
    check_conf(value, file=ctx.file)


def _path_rule(kind: str, suffixes: tuple[str, ...] = ()) -> Rule:
    def rule(value: Any, params: dict[str, Any], ctx: RuleContext) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ctx.error(f"{ctx.key} is empty", "give a path relative to the project root",
                            value=value)
        path = _project_path(value)
        if not path.exists():
            raise ctx.error(f"{ctx.key} {value!r} does not exist",
                            "give the path relative to the project root", value=value)
        if kind == "file" and not path.is_file():
            raise ctx.error(f"{ctx.key} {value!r} is a folder, not a file",
                            "give the file itself", value=value)
        name = path.name.lower()
        if suffixes and not any(name.endswith(suffix) for suffix in suffixes):
            raise ctx.error(f"{ctx.key} {value!r} is not a {' or '.join(suffixes)} file",
                            f"give a {suffixes[0]} file", value=value)
        if suffixes and ".csv" in suffixes:
            _check_csv_text(path, ctx, value)

    rule.__doc__ = f"An existing {kind}" + (f" ending {', '.join(suffixes)}" if suffixes else "")
    return rule


def _check_csv_text(path: Path, ctx: RuleContext, value: Any) -> None:
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if path.name.lower().endswith(".gz"):
        import zlib

        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 4096)
        except zlib.error:
            raise ctx.error(f"{ctx.key} {value!r} is not a valid gzip file",
                            "give the published series as a CSV (or gzipped CSV) file",
                            value=value) from None
    if b"\0" in head or not head.strip():
        raise ctx.error(f"{ctx.key} {value!r} is not a CSV text file",
                        "give the published series as a CSV file", value=value)
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:
            raise ctx.error(f"{ctx.key} {value!r} is not UTF-8 CSV text",
                            "re-save it as CSV UTF-8", value=value) from None


def codes_rule(pattern: str, example: str) -> Rule:
    """Every item of a list matches ``pattern``.

    Parameters
    ----------
    pattern : str
        Regular expression every code must match.
    example : str
        An example code, named in the fix.

    Returns
    -------
    callable
        A rule ``(value, params, ctx)`` that raises for a bad code.
    """
    compiled = re.compile(pattern)

    def rule(value: Any, params: dict[str, Any], ctx: RuleContext) -> None:
        if not value:
            raise ctx.error(f"{ctx.key} is empty", f"list at least one code, e.g. {example}")
        for code in value:
            if not isinstance(code, str) or not compiled.match(code):
                raise ctx.error(f"{ctx.key} has {code!r}, which is not a code like {example}",
                                f"use codes like {example}", value=code)

    rule.__doc__ = f"A non-empty list of codes like {example}"
    return rule


def text_rule(value: Any, params: dict[str, Any], ctx: RuleContext) -> None:
    """Non-blank text.

    Parameters
    ----------
    value : object
        The parameter's value.
    params : dict
        Parameters read from the params file.
    ctx : RuleContext
        The parameter being checked and its params file.
    """
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(f"{ctx.key} is blank", f"give {ctx.key} a value", value=value)


def neighbours_rule(value: Any, params: dict[str, Any], ctx: RuleContext) -> None:
    """Each neighbour's police.uk path exists.

    Parameters
    ----------
    value : object
        The parameter's value.
    params : dict
        Parameters read from the params file.
    ctx : RuleContext
        The parameter being checked and its params file.
    """
    for name, record in (value or {}).items():
        path = record.get("police_uk") if isinstance(record, dict) else None
        if isinstance(path, str) and not _project_path(path).exists():
            raise ctx.error(f"{ctx.key}[{name!r}] police_uk {path!r} does not exist",
                            "give the path relative to the project root", value=path)


#: Value checks by parameter name; extend with one entry per new parameter with a range.
VALUE_RULES: dict[str, list[Rule]] = {
    "first_month": [first_last_rule],
    "last_month": [first_last_rule],
    "min_count": [count_threshold_rule],
    "conf": [conf_rule],
    "area_name": [text_rule],
    "force_name": [text_rule],
    "extract": [_path_rule("file")],
    "police_uk": [_path_rule("path")],
    "published_da": [_path_rule("file", (".csv", ".csv.gz"))],
    "ltla24_codes": [codes_rule(r"^[EW]0[6-9]\d{6}$", "E06000010")],
    "neighbours": [neighbours_rule],
}

#: Value checks by the ending of a parameter name (applied before :data:`VALUE_RULES`).
SUFFIX_RULES: dict[str, list[Rule]] = {
    "_month": [month_rule],
}


def check_values(params: dict[str, Any], *, file: str | None = None,
                 defaults: dict[str, Any] | None = None) -> None:
    """Range-check every value by :data:`SUFFIX_RULES` and :data:`VALUE_RULES`.

    ``defaults`` (the notebook's) are what rules relating parameters see for a
    parameter the file does not set; only the file's values are checked.

    Parameters
    ----------
    params : dict
        Parameters read from the params file.
    file : str, optional
        The params file, named in error messages.
    defaults : dict, optional
        The notebook's defaults, seen by rules relating parameters for those the file
        leaves out.

    Raises
    ------
    SnaInputError
        The first value out of range, naming the parameter.

    Examples
    --------
    >>> check_values({"min_count": 5, "conf": 0.95, "last_month": "2025-12"})
    >>> try:
    ...     check_values({"last_month": "2025-13"})
    ... except SnaInputError as err:
    ...     print(err.problem)
    last_month '2025-13' is not a month (YYYY-MM, month 01 to 12)
    """
    context = {k: v for k, v in (defaults or {}).items() if v is not NOT_LITERAL}
    context.update(params)
    for key, value in params.items():
        ctx = RuleContext(key, file)
        rules = [rule for suffix, found in SUFFIX_RULES.items() if key.endswith(suffix)
                 for rule in found]
        for rule in [*rules, *VALUE_RULES.get(key, [])]:
            rule(value, context, ctx)


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
    check_values(params, file=str(params_file), defaults=declared)
    validator = notebook_metadata(notebook).get("validator")
    if validator:
        result = _load_validator(validator, notebook)(params, params_file=Path(params_file))
        if result is not None:
            params = dict(result)
    return params


def notebook_metadata(notebook: str | Path) -> dict[str, Any]:
    """Return the notebook's ``metadata["sna"]`` mapping (empty if absent).

    Parameters
    ----------
    notebook : str or Path
        The report notebook.

    Returns
    -------
    dict
        The notebook's ``metadata.sna`` (e.g. its ``validator``), or empty.

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
