"""``redchain router evaluate`` on small CSV and Excel files written by the tests."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from redchain.routing.tests.test_classifier import synthetic

HEADER = ["留言编号", "留言主题", "留言详情", "一级标签"]
LAST_LINE = re.compile(r"^macro_f1=\d\.\d{4} accuracy=\d\.\d{4} baseline_macro_f1=\d\.\d{4}$")


def rows(seed: int, per_class: int) -> list[list[str]]:
    texts, labels = synthetic(seed=seed, per_class=per_class)
    return [
        [str(i), *text.split("\n", 1), label]
        for i, (text, label) in enumerate(zip(texts, labels, strict=True))
    ]


def write_csv(path: Path, data: list[list[str]], encoding: str = "utf-8-sig", header=HEADER) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([header, *data])
    return path


def write_xlsx(path: Path, data: list[list[str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *data]:
        sheet.append(row)
    workbook.save(path)
    return path


def evaluate(*args: str) -> list[str]:
    out = StringIO()
    call_command(
        "router",
        "evaluate",
        *args,
        "--text-columns",
        "留言主题,留言详情",
        "--label-column",
        "一级标签",
        stdout=out,
    )
    return out.getvalue().strip().splitlines()


def test_evaluate_with_test_file_prints_report_and_last_line(tmp_path):
    train = write_csv(tmp_path / "train.csv", rows(seed=0, per_class=12))
    test = write_csv(tmp_path / "test.csv", rows(seed=1, per_class=4))
    lines = evaluate("--train", str(train), "--test", str(test))
    assert LAST_LINE.match(lines[-1]), lines[-1]
    assert any("教育文体" in line for line in lines)
    assert float(lines[-1].split()[0].split("=")[1]) >= 0.8


def test_evaluate_cross_validates_an_xlsx_file(tmp_path):
    train = write_xlsx(tmp_path / "train.xlsx", rows(seed=0, per_class=9))
    lines = evaluate("--train", str(train), "--cv", "3")
    assert LAST_LINE.match(lines[-1]), lines[-1]


def test_evaluate_reads_gb18030_csv_and_mixes_with_xlsx(tmp_path):
    train = write_csv(tmp_path / "train.csv", rows(seed=0, per_class=9), encoding="gb18030")
    test = write_xlsx(tmp_path / "test.xlsx", rows(seed=1, per_class=3))
    lines = evaluate("--train", str(train), "--test", str(test))
    assert LAST_LINE.match(lines[-1])


def test_evaluate_cross_validation_is_deterministic(tmp_path):
    train = write_csv(tmp_path / "train.csv", rows(seed=0, per_class=9))
    assert (
        evaluate("--train", str(train), "--cv", "3")[-1] == evaluate("--train", str(train), "--cv", "3")[-1]
    )


def test_missing_columns_are_named_in_the_error(tmp_path):
    header = ["留言编号", "标题", "留言详情", "一级标签"]
    train = write_csv(tmp_path / "train.csv", rows(seed=0, per_class=3), header=header)
    with pytest.raises(CommandError, match="missing columns: 留言主题"):
        evaluate("--train", str(train), "--cv", "3")


def test_evaluate_needs_either_test_or_cv(tmp_path):
    train = write_csv(tmp_path / "train.csv", rows(seed=0, per_class=3))
    with pytest.raises(CommandError, match="either --test"):
        evaluate("--train", str(train))


def test_unsupported_file_type_is_a_clear_error(tmp_path):
    path = tmp_path / "train.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="use .csv or .xlsx"):
        evaluate("--train", str(path), "--cv", "3")


def console(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the console script as a user would on a fresh checkout: no settings, secret key or database."""
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDCHAIN_VAR_DIR"}
    env = {name: value for name, value in os.environ.items() if name not in unset}
    command = [sys.executable, "-m", "redchain.cli", "router", "evaluate", *args]
    command += ["--text-columns", "留言主题,留言详情", "--label-column", "一级标签"]
    return subprocess.run(  # noqa: S603 - our own console script with fixed arguments
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_console_script_evaluates_without_settings_or_a_secret_key(tmp_path):
    train = write_csv(tmp_path / "train.csv", rows(seed=0, per_class=9))
    done = console("--train", str(train), "--cv", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert LAST_LINE.match(done.stdout.strip().splitlines()[-1])
    assert not (tmp_path / "var").exists()  # Django's settings were never loaded


def test_the_console_script_reports_bad_input_in_one_line(tmp_path):
    train = write_csv(tmp_path / "train.csv", rows(seed=0, per_class=3))
    done = console("--train", str(train), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == "error: give either --test FILE or --cv K"
    assert done.stdout == ""
