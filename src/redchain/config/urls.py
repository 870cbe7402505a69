"""The URL map: one include per app, plus health and language switching."""

from django.contrib import admin
from django.urls import include, path

from redchain.api.api import api
from redchain.core import views as core_views
from redchain.demands.urls import track_urlpatterns

# URLs carry no language prefix: the language is a user choice stored in a cookie (set_language),
# so shared links work for Chinese and English readers alike.
urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("redchain.accounts.urls")),
    path("orgs/", include("redchain.orgs.urls")),
    path("stats/", include("redchain.demands.urls_stats")),
    path("demands/", include("redchain.demands.urls")),
    path("routing/", include("redchain.routing.urls")),
    path("topics/", include("redchain.routing.urls_topics")),
    path("alliance-work/", include("redchain.mechanisms.urls")),
    path("exchange/", include("redchain.exchange.urls")),
    path("pairings/", include("redchain.pairings.urls")),
    path("visits/", include("redchain.visits.urls")),
    path("task-forces/", include("redchain.taskforces.urls")),
    path("party-life/", include("redchain.partylife.urls")),
    path("track/", include((track_urlpatterns, "track"))),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("redchain.dashboards.urls")),
]
