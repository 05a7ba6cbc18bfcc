"""The project's exception types, each carrying a message a user can act on.

The library raises these; only :mod:`influencegraph.cli` turns them into exit codes.
"""

from __future__ import annotations


class InfluenceGraphError(Exception):
    """Base class: a problem the user can fix (bad file, bad name, bad query)."""


class DataFileError(InfluenceGraphError):
    """A data file cannot be read or parsed; says which file, which line and why."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class UnknownNameError(InfluenceGraphError):
    """No entity has this label; carries the closest labels as suggestions."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        msg = f"no entity is called {name!r}"
        if suggestions:
            msg += "; did you mean " + ", ".join(repr(s) for s in suggestions) + "?"
        else:
            msg += "; try `influencegraph search TEXT`"
        super().__init__(msg)


class AmbiguousNameError(InfluenceGraphError):
    """Several entities answer to this label; carries (label, type) of each."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]) -> None:
        self.name = name
        self.candidates = candidates
        listed = "; ".join(f"{label!r} ({kind})" for label, kind in candidates)
        super().__init__(f"{name!r} is ambiguous: it could be {listed}. Use the full label.")


class QueryError(InfluenceGraphError):
    """A SPARQL query is malformed, refused, or took too long."""


class SourceError(InfluenceGraphError):
    """The graph's source (store, endpoint) cannot be opened or answered badly."""


class QuerySyntaxError(QueryError):
    """A SPARQL query does not parse; says where (line and column of the user's text)."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"SPARQL syntax error{where}: {reason}")


class QueryRefused(QueryError):
    """A well-formed query that is not allowed here (SERVICE, FROM, an update)."""


class QueryTimeout(QueryError):
    """A query ran past its time bound and was given up."""


class ResultTooLarge(QueryError):
    """A result has more rows (or triples) than the caller allows."""


class EndpointBusy(QueryError):
    """Every evaluation slot is taken by other queries; try again shortly."""


class EditRefused(InfluenceGraphError):
    """An addition was refused before anything was written (bad input: a missing quote or
    source, an unknown name, a bad row); ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str], summary: str | None = None) -> None:
        self.problems = problems
        lines = [*problems, summary] if summary else problems
        super().__init__("\n".join(lines))


class ValidationFailed(InfluenceGraphError):
    """The addition is well formed but the graph with it would fail the shapes or the time
    order; ``problems`` holds one line per new violation. The CLI exits 1 (a check failed)."""

    def __init__(self, problems: list[str], summary: str) -> None:
        self.problems = problems
        super().__init__("\n".join([*problems, summary]))


class LoadInterrupted(InfluenceGraphError):
    """``load`` was stopped by Ctrl-C; the message says what the store holds now. The CLI
    exits 1."""


class NothingToDraw(InfluenceGraphError):
    """A view has nothing to show: no entity matches the options, or the asked-for path does
    not exist. The CLI exits 1 (nothing found), not 2."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type name when it has none): third-party
    errors are reported in one line, never as a traceback."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
