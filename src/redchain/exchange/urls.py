from django.urls import path

from redchain.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("needs/", views.listing_list, {"side": "need"}, name="need_list"),
    path("needs/new/", views.listing_create, {"side": "need"}, name="need_create"),
    path("needs/export.xlsx", views.listing_export, {"side": "need"}, name="need_export"),
    path("needs/<int:pk>/", views.listing_detail, {"side": "need"}, name="need_detail"),
    path("needs/<int:pk>/edit/", views.listing_edit, {"side": "need"}, name="need_edit"),
    path("needs/<int:pk>/withdraw/", views.listing_withdraw, {"side": "need"}, name="need_withdraw"),
    path("needs/<int:pk>/propose/", views.need_propose, name="need_propose"),
    path("needs/<int:pk>/propose-manual/", views.need_propose_manual, name="need_propose_manual"),
    path("resources/", views.listing_list, {"side": "resource"}, name="resource_list"),
    path("resources/new/", views.listing_create, {"side": "resource"}, name="resource_create"),
    path("resources/export.xlsx", views.listing_export, {"side": "resource"}, name="resource_export"),
    path("resources/<int:pk>/", views.listing_detail, {"side": "resource"}, name="resource_detail"),
    path("resources/<int:pk>/edit/", views.listing_edit, {"side": "resource"}, name="resource_edit"),
    path(
        "resources/<int:pk>/withdraw/", views.listing_withdraw, {"side": "resource"}, name="resource_withdraw"
    ),
    path("matches/", views.match_list, name="match_list"),
    path("matches/export.xlsx", views.match_export, name="match_export"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/accept/", views.match_accept, name="match_accept"),
    path("matches/<int:pk>/decline/", views.match_decline, name="match_decline"),
    path("matches/<int:pk>/close/", views.match_close, name="match_close"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/export.xlsx", views.project_export, name="project_export"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("alliances/<int:alliance_pk>/projects/new/", views.project_create, name="project_create"),
    path("feedback/", views.feedback_create, name="feedback_create"),
]
