"""URLs of the task-force pages (``taskforces:``), mounted at /task-forces/."""

from django.urls import path

from redchain.taskforces import views

app_name = "taskforces"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.task_force_export, name="export"),
    path("new/", views.task_force_create, name="create"),
    path("<int:pk>/", views.task_force_detail, name="detail"),
    path("<int:pk>/edit/", views.task_force_edit, name="edit"),
    path("<int:pk>/<slug:action>/", views.task_force_action, name="action"),
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/export.xlsx", views.suggestion_export, name="suggestion_export"),
    path("suggestions/new/", views.suggestion_create, name="suggestion_create"),
    path("suggestions/funnel/", views.funnel, name="funnel"),
    path("suggestions/funnel/export.xlsx", views.funnel_export, name="funnel_export"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/edit/", views.suggestion_edit, name="suggestion_edit"),
    path("suggestions/<int:pk>/<slug:action>/", views.suggestion_action, name="suggestion_action"),
]
