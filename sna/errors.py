"""The project's one exception type for bad input.

Every reader and validator raises :class:`SnaInputError` with the file, row,
column and value that are wrong and a sentence saying how to fix it, so users
never see a traceback from deep inside pandas.
"""

from __future__ import annotations

__all__ = [
    "SnaInputError",
]


class SnaInputError(ValueError):
    """Bad input that the user can fix.

    Parameters
    ----------
    problem : str
        What is wrong, in one sentence.
    fix : str
        What the user should do about it.
    file : str, optional
        The file (or parameter file) the problem is in.
    row : int, optional
        1-based line number in the file (the header is line 1).
    column : str, optional
        The column or parameter key.
    value : object, optional
        The offending value.

    Examples
    --------
    >>> err = SnaInputError("month '2023-13' is not a valid month",
    ...                     fix="use YYYY-MM with a month from 01 to 12",
    ...                     file="a.csv", row=2, column="Month", value="2023-13")
    >>> str(err).split(": ")[0]
    "a.csv, row 2, column 'Month'"
    """

    def __init__(
        self,
        problem: str,
        *,
        fix: str,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.problem = problem
        self.fix = fix
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        super().__init__(self._message())

    def __reduce__(self):
        """Pickle by fields (the default would call ``cls(message)``, which needs ``fix``)."""
        return _rebuild_error, (type(self), self.problem, self.fix, self.file, self.row,
                                self.column, self.value)

    def _message(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        prefix = ", ".join(where)
        body = f"{self.problem}. Fix: {self.fix}."
        return f"{prefix}: {body}" if prefix else body


def _rebuild_error(cls: type[SnaInputError], problem: str, fix: str, file: str | None,
                   row: int | None, column: str | None, value: object) -> SnaInputError:
    return cls(problem, fix=fix, file=file, row=row, column=column, value=value)
