"""``redchain router``: train and evaluate the demand router.

``redchain router evaluate --train TRAIN.csv --test TEST.csv --text-columns 留言主题,留言详情 --label-column 一级标签``
trains our router and the named baseline on TRAIN, scores both on TEST (or, with ``--cv K`` and no
``--test``, by stratified K-fold cross-validation of TRAIN), prints a per-class report and, as its last line,
``macro_f1=… accuracy=… baseline_macro_f1=…``.

``redchain router train --zone CODE --target category`` trains the zone's router on its closed demands;
with ``--from-file F.csv --text-columns … --label-column …`` on a labelled table instead.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redchain.routing.evaluation import TableError, compare_cross_validated, compare_on_test, load_labelled


def _columns(value: str) -> list[str]:
    names = [name.strip() for name in value.replace("，", ",").split(",") if name.strip()]
    if not names:
        raise CommandError("--text-columns names no column")
    return names


class Command(BaseCommand):
    help = "Train and evaluate the demand router (category or department prediction)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{evaluate,train}")

        evaluate = sub.add_parser("evaluate", help="compare the router with the baseline on labelled files")
        evaluate.add_argument("--train", required=True, help="labelled .csv or .xlsx to train on")
        evaluate.add_argument("--test", help="labelled .csv or .xlsx to score on")
        evaluate.add_argument(
            "--cv", type=int, metavar="K", help="cross-validate TRAIN with K stratified folds"
        )
        self._table_arguments(evaluate)

        train = sub.add_parser("train", help="train and store a zone's router")
        train.add_argument("--zone", required=True, help="zone code")
        train.add_argument("--target", required=True, choices=["category", "department"])
        train.add_argument("--from-file", help="train on a labelled .csv or .xlsx instead of closed demands")
        self._table_arguments(train, required=False)

    @staticmethod
    def _table_arguments(parser, required: bool = True) -> None:
        parser.add_argument(
            "--text-columns",
            required=required,
            type=_columns,
            help="comma-separated text columns, title first",
        )
        parser.add_argument("--label-column", required=required, help="the column holding the label")

    def handle(self, *args, action: str, **options) -> None:
        if action == "evaluate":
            self.evaluate(**options)
        else:
            self.train(**options)

    def _load(self, path: str, options) -> tuple[list[str], list[str]]:
        try:
            return load_labelled(
                path, text_columns=options["text_columns"], label_column=options["label_column"]
            )
        except TableError as error:
            raise CommandError(f"{path}: {error}") from error

    def evaluate(self, **options) -> None:
        test, folds = options.get("test"), options.get("cv")
        if bool(test) == bool(folds):
            raise CommandError("give either --test FILE or --cv K")
        texts, labels = self._load(options["train"], options)
        started = time.perf_counter()
        if test:
            test_texts, test_labels = self._load(test, options)
            comparison = compare_on_test(texts, labels, test_texts, test_labels)
        else:
            try:
                comparison = compare_cross_validated(texts, labels, folds=int(folds or 5))
            except ValueError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(comparison.ours.report())
        self.stdout.write("Baseline (TF-IDF char 1-3-grams + LinearSVC):")
        self.stdout.write(comparison.baseline.report())
        ece = comparison.ours.calibration_error
        self.stdout.write(f"expected_calibration_error={ece:.4f} seconds={time.perf_counter() - started:.1f}")
        self.stdout.write(comparison.last_line())

    def train(self, **options) -> None:
        # The service lives with the models it writes; imported here so `evaluate` needs no database.
        from redchain.orgs.models import Zone
        from redchain.routing.services import router_train

        zone = Zone.objects.filter(code=options["zone"]).first()
        if zone is None:
            raise CommandError(f"no zone with code {options['zone']}")
        extra = {}
        if options.get("from_file"):
            if not options.get("text_columns") or not options.get("label_column"):
                raise CommandError("--from-file needs --text-columns and --label-column")
            extra["texts"], extra["labels"] = self._load(options["from_file"], options)
        try:
            router = router_train(zone=zone, target=options["target"], actor=None, **extra)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Trained {router}; metrics: {getattr(router, 'metrics', {})}")
