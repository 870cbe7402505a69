"""Routing pages under ``/routing/``."""

from django.urls import path

from redchain.routing import views

app_name = "routing"

urlpatterns = [
    path("triage/", views.triage, name="triage"),
    path("accuracy/", views.accuracy, name="accuracy"),
    path("accuracy/retrain/", views.retrain, name="retrain"),
    path("keywords/", views.responsibilities, name="keywords"),
]
