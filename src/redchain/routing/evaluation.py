"""Measure a router against the named baseline on labelled tables (CSV or Excel), in the same run.

Used by ``redchain router evaluate`` and ``bench/router.py``. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, classification_report, f1_score
from sklearn.model_selection import StratifiedKFold

from redchain.routing.classifier import SEED, TITLE_SEPARATOR, TextRouter, baseline_pipeline


class TableError(ValueError):
    """A labelled table cannot be read or lacks the columns asked for."""


@dataclass
class Scores:
    """Predictions of one model on one evaluation set, with the figures the CLI prints."""

    truth: list[str]
    predicted: list[str]
    confidence: list[float] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return float(f1_score(self.truth, self.predicted, average="macro", zero_division=0))

    @property
    def accuracy(self) -> float:
        return float(accuracy_score(self.truth, self.predicted))

    @property
    def calibration_error(self) -> float | None:
        if not self.confidence:
            return None
        correct = [t == p for t, p in zip(self.truth, self.predicted, strict=True)]
        return expected_calibration_error(self.confidence, correct)

    def report(self) -> str:
        labels = sorted(set(self.truth) | set(self.predicted))
        return classification_report(self.truth, self.predicted, labels=labels, digits=4, zero_division=0)


@dataclass
class Comparison:
    """Our router and the baseline, evaluated on the same examples."""

    ours: Scores
    baseline: Scores

    def last_line(self) -> str:
        return (
            f"macro_f1={self.ours.macro_f1:.4f} accuracy={self.ours.accuracy:.4f} "
            f"baseline_macro_f1={self.baseline.macro_f1:.4f}"
        )


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error: the gap between confidence and accuracy, averaged over equal-width bins."""
    conf, hit = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=float)
    which = np.minimum((conf * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.sum() * abs(conf[mask].mean() - hit[mask].mean())
    return float(total / max(len(conf), 1))


# --- reading tables -------------------------------------------------------------------------------------


def read_table(path: str | Path) -> list[dict[str, str]]:
    """Rows of a ``.csv`` (UTF-8 with or without BOM, else GB18030) or ``.xlsx`` file, as strings."""
    path = Path(path)
    if not path.is_file():
        raise TableError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path.read_bytes())
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise TableError(f"unsupported file type {suffix or '(none)'}: use .csv or .xlsx")


def _read_csv(data: bytes) -> list[dict[str, str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        reader = csv.DictReader(io.StringIO(text, newline=""))
        return [{(k or "").strip(): (v or "") for k, v in row.items()} for row in reader]
    raise TableError("the CSV file is neither UTF-8 nor GB18030")


def _read_xlsx(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
        return [
            {name: "" if cell is None else str(cell) for name, cell in zip(header, row, strict=False)}
            for row in rows
            if any(cell not in (None, "") for cell in row)
        ]
    finally:
        workbook.close()


def texts_and_labels(
    rows: list[dict[str, str]], *, text_columns: Sequence[str], label_column: str
) -> tuple[list[str], list[str]]:
    """Join ``text_columns`` with a newline (so the first is the title) and take labels; skip unlabelled rows."""
    present = set(rows[0]) if rows else set()
    missing = [name for name in [*text_columns, label_column] if name not in present]
    if missing:
        raise TableError(
            f"missing columns: {', '.join(missing)} (the file has: {', '.join(sorted(present))})"
        )
    texts, labels = [], []
    for row in rows:
        label = (row.get(label_column) or "").strip()
        if label:
            texts.append(TITLE_SEPARATOR.join((row.get(name) or "").strip() for name in text_columns))
            labels.append(label)
    if not labels:
        raise TableError(f"no labelled rows in column {label_column}")
    return texts, labels


def load_labelled(path: str | Path, *, text_columns: Sequence[str], label_column: str):
    return texts_and_labels(read_table(path), text_columns=text_columns, label_column=label_column)


# --- evaluating -----------------------------------------------------------------------------------------

RouterFactory = Callable[[], TextRouter]


def _fit_predict(train_x, train_y, test_x, factory: RouterFactory) -> tuple[Scores, Scores]:
    router = factory().fit(train_x, train_y)
    top = [row[0] for row in router.predict_top(test_x, k=1)]
    ours = Scores(truth=[], predicted=[label for label, _ in top], confidence=[p for _, p in top])
    baseline = baseline_pipeline().fit(train_x, train_y)
    return ours, Scores(truth=[], predicted=[str(label) for label in baseline.predict(test_x)])


def compare_on_test(
    train_x: list[str],
    train_y: list[str],
    test_x: list[str],
    test_y: list[str],
    *,
    factory: RouterFactory = TextRouter,
) -> Comparison:
    """Train both models on the training set and score them on the test set."""
    ours, baseline = _fit_predict(train_x, train_y, test_x, factory)
    ours.truth = baseline.truth = list(test_y)
    return Comparison(ours=ours, baseline=baseline)


def compare_cross_validated(
    texts: list[str],
    labels: list[str],
    *,
    folds: int = 5,
    factory: RouterFactory = TextRouter,
    seed: int = SEED,
) -> Comparison:
    """Stratified ``folds``-fold cross-validation; both models scored on the pooled out-of-fold predictions.

    ``seed`` shuffles the split; the CLI keeps the default so that its figures can be repeated."""
    smallest = min(labels.count(label) for label in set(labels))
    if folds < 2 or folds > smallest:
        raise ValueError(f"--cv must be between 2 and the size of the smallest class ({smallest})")
    ours = Scores(truth=[], predicted=[""] * len(labels), confidence=[0.0] * len(labels))
    baseline = Scores(truth=list(labels), predicted=[""] * len(labels))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(texts, labels):
        fold_ours, fold_base = _fit_predict(
            [texts[i] for i in train], [labels[i] for i in train], [texts[i] for i in test], factory
        )
        for position, i in enumerate(test):
            ours.predicted[i], ours.confidence[i] = (
                fold_ours.predicted[position],
                fold_ours.confidence[position],
            )
            baseline.predicted[i] = fold_base.predicted[position]
    ours.truth = list(labels)
    return Comparison(ours=ours, baseline=baseline)
