"""URLs of the demand pages (``demands:``) and of the public tracking page (``track:``, mounted at /track/)."""

from django.urls import path

from redchain.demands import views, views_stats

app_name = "demands"

urlpatterns = [
    path("", views.demand_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("leaders/", views.leaders, name="leaders"),
    path("new/", views.submit, name="submit"),
    path("new/done/", views.submitted, name="submitted"),
    path("new/enterprises/", views.enterprise_options, name="enterprise_options"),
    path("import/", views_stats.import_12345, name="import"),
    path("import/template.xlsx", views_stats.import_12345_template, name="import_template"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/bell/", views.bell, name="bell"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/<slug:action>/", views.demand_action, name="action"),
]

# Public, no sign-in: included by config.urls as ``path("track/", include((track_urlpatterns, "track")))``.
track_urlpatterns = [
    path("", views.track_form, name="form"),
    path("<str:code>/", views.track, name="status"),
]
