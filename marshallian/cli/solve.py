"""``marshallian solve MODEL``: every equilibrium of South (``docs/commands.md``)."""

from __future__ import annotations


def add_parser(sub) -> None:
    from .common import add_cache_option, add_format_option, add_parameter_options, command_parser

    p = command_parser(
        sub,
        "solve",
        run,
        "every equilibrium of South, with wage, income gap, stability",
        "Enumerate every equilibrium (stable or not) of the small South.",
        model="standard, alternative or dynamic",
    )
    add_parameter_options(p, on_error=True)
    add_format_option(p, ("table", "json", "csv", "latex", "parquet"), "table")
    p.add_argument(
        "--exact", action="store_true", help="rerun the enumeration in exact rational arithmetic"
    )
    p.add_argument(
        "--north",
        metavar="J=CONFIG[,J=CONFIG]",
        help="North's equilibrium setting world prices, e.g. 1=cluster,2=backward "
        "(default: the paper's, full clusters)",
    )
    p.add_argument(
        "--world",
        action="store_true",
        help="the two-country equilibrium (standard, alternative): prices and the "
        "relative wage solved for, every equilibrium listed",
    )
    add_cache_option(p)


def parse_north(text):
    from ..errors import InvalidParameterError, Violation

    if text is None:
        return None
    out = {}
    for part in text.split(","):
        j, _, c = part.partition("=")
        if not j.strip().isdigit() or c.strip() not in ("cluster", "backward", "mixed"):
            raise InvalidParameterError(
                Violation("--north", text, "must be J=cluster|backward|mixed[,J=...]")
            )
        out[int(j)] = c.strip()
    return out


#: A CSV, JSON or Parquet batch of at least this many cases goes through the vectorised batch
#: engine (:mod:`marshallian.solvers.batch`); smaller ones are solved case by case (the
#: engine's set-up, about half a second, is not worth it).
BATCH_ENGINE_MIN_CASES = 500


def run(args) -> int:
    from ..errors import InvalidParameterError, Violation

    if getattr(args, "world", False):
        if args.format == "parquet":
            raise InvalidParameterError(
                Violation("--format", "parquet", "is not available with --world")
            )
        from .world import run_world

        return run_world(args)
    from ..models import get_model
    from ..models.schema import get_schema
    from .common import apply_cache_option, check_model_name, read_cases, report_skipped
    from .output import emit

    apply_cache_option(args)
    # validated against the model's parameter schema: no SymPy before the input is good
    model = get_schema(check_model_name(args.model))
    north = parse_north(args.north)
    if args.format == "parquet" and (args.exact or north is not None):
        raise InvalidParameterError(
            Violation(
                "--format",
                "parquet",
                "is written by the batch engine, which takes neither --exact nor --north",
            )
        )
    engine = args.format == "parquet" or (
        args.format in ("csv", "json") and not args.exact and north is None
    )
    data = None
    if engine and args.params is not None:
        from ..params import parse_parameter_text, read_input

        path = "/dev/stdin" if args.params == "-" else args.params
        raw = read_input(path)
        data = parse_parameter_text(raw, path)
        chunks = _fast_batch(model, data, args, raw)
        if chunks is not None:
            return _write_batch(get_model(model.name), chunks, args)
    batch = read_cases(model, args, data=data)
    report_skipped(batch)
    if args.format == "parquet" or (
        engine and data is not None and len(data.cases) >= BATCH_ENGINE_MIN_CASES
    ):
        from ..solvers.batch import iter_solve_cases

        on_error = "skip" if getattr(args, "on_error", None) == "skip" else "raise"
        full = get_model(model.name)
        return _write_batch(
            full,
            iter_solve_cases(
                full,
                batch.cases,
                on_error=on_error,
                keep_solutions=args.format == "json",
                frames=args.format != "csv",
            ),
            args,
        )
    emit(
        solve_cases(model, batch.cases, north=north, exact=args.exact, batch=batch.batch),
        args.format,
        batch.batch,
    )
    return 0


def _fast_batch(model, data, args, raw=None):
    """Row chunks of a large, clean batch straight from the read input: columns of numbers
    validated at once (:func:`marshallian.solvers.batch.solve_batch`'s check) instead of one
    :class:`~marshallian.params.Parameters` per case (a plain CSV file, ``raw``, is read
    column-wise: :func:`~marshallian.solvers.batch.csvtext.read_csv_columns`). None when
    the input is small, has a case with a problem, uses another name than the model's
    parameters (e.g. ``theta_j``) or fails the check: the case-by-case reader then answers
    (and names the bad case)."""
    import numpy as np

    from ..errors import InvalidParameterError
    from ..params import parse_assignment
    from ..solvers.batch import iter_solve_batch
    from ..solvers.batch.csvtext import read_csv_columns

    names = set(model.parameter_names)
    cols = None
    if data.kind == "csv" and raw is not None and not set(data.columns) - names:
        cols = read_csv_columns(raw, tuple(data.columns))
    if cols is not None:
        if len(next(iter(cols.values()))) < BATCH_ENGINE_MIN_CASES:
            return None
    else:
        if not data.batch:
            return None
        from array import array

        defaults = model.params().as_dict()
        given: dict = {}  # name -> its values so far, in the order the names first appear
        n = 0
        # one pass: a CSV's cases (LazyCases) are parsed again on every pass
        for i, c in enumerate(data.cases):
            if c.violations or c.index != i or set(c.values) - names:
                return None
            for k in c.values:
                if k not in given:
                    given[k] = array("d", [defaults[k]]) * n
            for k, v in given.items():
                v.append(c.values.get(k, defaults[k]))
            n += 1
        if n < BATCH_ENGINE_MIN_CASES:
            return None
        cols = {k: np.array(v, dtype=float) for k, v in given.items()}
    fixed = {}
    for text in args.set:
        name, value = parse_assignment(text)
        if name not in names:
            return None
        cols.pop(name, None)
        fixed[name] = value
    on_error = "skip" if getattr(args, "on_error", None) == "skip" else "raise"
    from ..solvers import resolve_model

    model = resolve_model(model)  # the schema validated; the engine needs the model
    chunks = iter_solve_batch(
        model,
        cols,
        fixed or None,
        on_error=on_error,
        text=True,
        keep_solutions=args.format == "json",
        frames=args.format != "csv",  # CSV is written from the columns (no DataFrame)
    )
    try:
        first = next(chunks)  # validates every case before anything is written
    except InvalidParameterError:
        return None
    except StopIteration:  # pragma: no cover - a batch has a case
        return iter(())

    def all_chunks():
        yield first
        yield from chunks

    return all_chunks()


def _write_batch(model, chunks, args) -> int:
    """CSV or Parquet from the vectorised engine, a chunk at a time (the same columns as the
    case-by-case path: ``Solution.records``)."""
    import sys

    from ..solvers.batch import record_columns

    columns = record_columns(model)
    if args.format == "json":
        from ..solvers.batch import solution_docs
        from .output import JsonArrayWriter

        docs = JsonArrayWriter(True, sys.stdout)
        for df in chunks:
            _print_notes(df)
            for _, doc in solution_docs(model, df):
                docs.write(doc)
        docs.close()
        return 0
    if args.format == "csv":
        from ..solvers.batch.csvtext import write_csv_columns

        header = True
        for part in chunks:  # BatchColumns
            _print_notes(part)
            write_csv_columns(part, columns, sys.stdout, header)
            header = False
        sys.stdout.flush()
        return 0
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    out = sys.stdout.buffer
    for df in chunks:
        _print_notes(df)
        table = pa.Table.from_pandas(df[columns], preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(out, table.schema)
        writer.write_table(table.cast(writer.schema))
    if writer is not None:
        writer.close()
    out.flush()
    return 0


def _print_notes(chunk) -> None:
    """The cases' warnings on stderr, as the case-by-case path prints them (``chunk``: a
    DataFrame, or :class:`~marshallian.solvers.batch.api.BatchColumns`)."""
    import sys

    notes = chunk.attrs.get("warnings", ()) if hasattr(chunk, "attrs") else chunk.warnings
    for case, note in notes:
        print(f"marshallian: warning: case {case}: {note}", file=sys.stderr)


def solve_cases(model, cases, north=None, exact=False, batch=True):
    """``(case, Solution)`` for every ``(case, Parameters)``, lazily, in order: the batch
    loop of ``solve`` (a vectorized engine can replace it with the same output)."""
    import sys
    import warnings

    from ..errors import DegenerateEquilibriumWarning, NorthPremiseWarning
    from ..solvers import solve

    for case, params in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
            warnings.simplefilter("ignore", NorthPremiseWarning)
            sol = solve(model, params, north=north, exact=exact)
        for w in sol.warnings:  # one line on stderr per case (the results carry it too)
            print(f"marshallian: warning: {f'case {case}: ' if batch else ''}{w}", file=sys.stderr)
        yield case, sol
