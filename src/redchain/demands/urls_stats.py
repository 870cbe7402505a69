"""三率 pages under ``/stats/``. (The 12345 import page, whose views live beside these, is in demands/urls.py.)"""

from django.urls import path

from redchain.demands import views_stats

app_name = "stats"

urlpatterns = [
    path("", views_stats.overview, name="overview"),
    path("ranking/", views_stats.ranking, name="ranking"),
    path("export.xlsx", views_stats.export, name="export"),
    path("export/<str:table>.xlsx", views_stats.panel_export, name="panel_export"),
    path("wall/", views_stats.wall, name="wall"),
    path("orders/<str:urgency>/", views_stats.orders, name="orders"),
]
