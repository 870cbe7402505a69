from django.urls import path

from redchain.pairings import views

app_name = "pairings"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/export.xlsx", views.project_export, name="project_export"),
    path("projects/<int:pk>/status/", views.project_status, name="project_status"),
    path("promises/<int:pk>/deliver/", views.promise_deliver, name="promise_deliver"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/promises/", views.promise_add, name="promise_add"),
    path("<int:pk>/projects/", views.project_add, name="project_add"),
]
