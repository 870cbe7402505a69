from django.urls import path

from redchain.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes/export.xlsx", views.outcomes_export, name="outcomes_export"),
]
