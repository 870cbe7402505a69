"""Excel in and out for enterprises, party organisations and party members.

* :mod:`.columns` — what each kind of sheet holds: column titles, help, allowed values.
* :mod:`.cells` — turning one cell into a clean value, or a message saying what is wrong with it.
* :mod:`.reader` — opening an uploaded workbook safely and finding its columns and rows.
* :mod:`.importers` — validating every row, then writing all of them through the services, or none.
* :mod:`.exporters` — scoped lists to workbooks; :mod:`.workbooks` — blank templates and error reports.

Nothing here knows about HTTP, so the views, the API and the command line share it.
"""

KINDS = ("enterprises", "party-orgs", "party-members")
