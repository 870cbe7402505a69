from django.urls import path

from redchain.orgs import views

app_name = "orgs"
urlpatterns: list = []
