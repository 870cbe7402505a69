"""三率 pages under ``/stats/``; the 12345 import page is mounted by ``demands/urls.py`` at ``/demands/import/``.

``import_urlpatterns`` holds the import routes so the demands URL map can include them:
``path("import/", include((import_urlpatterns, "demands_import")))`` or the two paths directly.
"""

from django.urls import path

from redchain.demands import views_stats

app_name = "stats"

urlpatterns = [
    path("", views_stats.overview, name="overview"),
    path("ranking/", views_stats.ranking, name="ranking"),
    path("export.xlsx", views_stats.export, name="export"),
]

import_urlpatterns = [
    path("", views_stats.import_12345, name="import_12345"),
    path("template.xlsx", views_stats.import_12345_template, name="import_12345_template"),
]
