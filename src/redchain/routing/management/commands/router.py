"""``redchain router``: train and evaluate the demand router.

``redchain router evaluate --train TRAIN.csv --test TEST.csv --text-columns 留言主题,留言详情 --label-column 一级标签``
trains our router and the named baseline on TRAIN, scores both on TEST (or, with ``--cv K`` and no
``--test``, by stratified K-fold cross-validation of TRAIN), prints a per-class report and, as its last line,
``macro_f1=… accuracy=… baseline_macro_f1=…``.

``redchain router train --zone CODE --target category`` trains the zone's router on its closed demands;
with ``--from-file F.csv --text-columns … --label-column …`` on a labelled table instead.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redchain.routing import evaluate_cli


class Command(BaseCommand):
    help = "Train and evaluate the demand router (category or department prediction)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{evaluate,train}")

        evaluate = sub.add_parser("evaluate", help="compare the router with the baseline on labelled files")
        evaluate_cli.add_arguments(evaluate)

        train = sub.add_parser("train", help="train and store a zone's router")
        train.add_argument("--zone", required=True, help="zone code")
        train.add_argument("--target", required=True, choices=["category", "department"])
        train.add_argument("--from-file", help="train on a labelled .csv or .xlsx instead of closed demands")
        evaluate_cli.add_table_arguments(train, required=False)

    def handle(self, *args, action: str, **options) -> None:
        try:
            if action == "evaluate":
                evaluate_cli.run(
                    train=options["train"],
                    test=options.get("test"),
                    cv=options.get("cv"),
                    text_columns=options["text_columns"],
                    label_column=options["label_column"],
                    write=self.stdout.write,
                )
            else:
                self.train(**options)
        except evaluate_cli.EvaluationFailed as error:
            raise CommandError(str(error)) from error

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
            extra["texts"], extra["labels"] = evaluate_cli.load(
                options["from_file"],
                text_columns=options["text_columns"],
                label_column=options["label_column"],
            )
        try:
            router = router_train(zone=zone, target=options["target"], actor=None, **extra)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Trained {router}; metrics: {getattr(router, 'metrics', {})}")
