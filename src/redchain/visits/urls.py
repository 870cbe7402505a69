"""URLs of the walking office (``visits:``), mounted at /visits/."""

from django.urls import path

from redchain.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("new/enterprises/", views.enterprise_options, name="enterprise_options"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("findings/<int:pk>/demand/", views.finding_demand, name="finding_demand"),
    path("findings/<int:pk>/resolve/", views.finding_resolve, name="finding_resolve"),
]
