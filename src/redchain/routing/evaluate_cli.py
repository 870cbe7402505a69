"""``redchain router evaluate``: compare the router with the named baseline on labelled files.

The command reads files and trains in memory; it needs no settings, database or secret key, so it runs on a
fresh checkout before anything is configured (the issue's check calls it exactly so). ``redchain.cli`` sends
``router evaluate`` here without starting Django; the ``router`` management command shares the arguments and
the runner, so ``call_command("router", "evaluate", …)`` behaves the same.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from redchain.routing.evaluation import TableError, compare_cross_validated, compare_on_test, load_labelled


class EvaluationFailed(Exception):
    """Bad input (a file, a column, a fold count): the message says what to change."""


def columns(value: str) -> list[str]:
    """``--text-columns``: comma-separated names (ASCII or full-width commas), title first."""
    names = [name.strip() for name in value.replace("，", ",").split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("--text-columns names no column")
    return names


def add_arguments(parser: argparse.ArgumentParser, *, tables_required: bool = True) -> None:
    parser.add_argument("--train", required=True, help="labelled .csv or .xlsx to train on")
    parser.add_argument("--test", help="labelled .csv or .xlsx to score on")
    parser.add_argument("--cv", type=int, metavar="K", help="cross-validate TRAIN with K stratified folds")
    add_table_arguments(parser, required=tables_required)


def add_table_arguments(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument(
        "--text-columns", required=required, type=columns, help="comma-separated text columns, title first"
    )
    parser.add_argument("--label-column", required=required, help="the column holding the label")


def load(path: str, *, text_columns: list[str], label_column: str) -> tuple[list[str], list[str]]:
    try:
        return load_labelled(path, text_columns=text_columns, label_column=label_column)
    except TableError as error:
        raise EvaluationFailed(f"{path}: {error}") from error


def run(
    *,
    train: str,
    test: str | None,
    cv: int | None,
    text_columns: list[str],
    label_column: str,
    write: Callable[[str], None],
) -> None:
    """Train both models, write the per-class reports and, last, ``macro_f1=… accuracy=… baseline_macro_f1=…``."""
    if bool(test) == bool(cv):
        raise EvaluationFailed("give either --test FILE or --cv K")
    texts, labels = load(train, text_columns=text_columns, label_column=label_column)
    started = time.perf_counter()
    if test:
        test_texts, test_labels = load(test, text_columns=text_columns, label_column=label_column)
        comparison = compare_on_test(texts, labels, test_texts, test_labels)
    else:
        try:
            comparison = compare_cross_validated(texts, labels, folds=int(cv or 5))
        except ValueError as error:
            raise EvaluationFailed(str(error)) from error
    write(comparison.ours.report())
    write("Baseline (TF-IDF char 1-3-grams + LinearSVC):")
    write(comparison.baseline.report())
    ece = comparison.ours.calibration_error
    write(f"expected_calibration_error={ece:.4f} seconds={time.perf_counter() - started:.1f}")
    write(comparison.last_line())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="redchain router evaluate",
        description="Compare the router with the baseline (TF-IDF char 1-3-grams + LinearSVC) on labelled files.",
    )
    add_arguments(parser)
    options = parser.parse_args(argv)
    try:
        run(
            train=options.train,
            test=options.test,
            cv=options.cv,
            text_columns=options.text_columns,
            label_column=options.label_column,
            write=lambda line: print(line, flush=True),
        )
    except EvaluationFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
