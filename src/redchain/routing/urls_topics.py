"""Hot topics (每月一题), included by the lead as ``path("topics/", include("redchain.routing.urls_topics"))``."""

from django.urls import path

from redchain.routing import views_topics as views

app_name = "topics"
urlpatterns = [
    path("", views.topic_list, name="list"),
    path("build/", views.topic_build, name="build"),
    path("<int:pk>/adopt/", views.topic_adopt, name="adopt"),
]
