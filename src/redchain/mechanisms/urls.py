from django.urls import path

from redchain.mechanisms import views

app_name = "mechanisms"
urlpatterns = [
    path("", views.index, name="index"),
    path("alliances/<int:pk>/cadence/", views.cadence, name="cadence"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/export.xlsx", views.meeting_export, name="meeting_export"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/schedule/", views.meeting_schedule, name="meeting_schedule"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/held/", views.meeting_held, name="meeting_held"),
    path("meetings/<int:pk>/missed/", views.meeting_missed, name="meeting_missed"),
    path("meetings/<int:pk>/action-items/", views.action_item_add, name="action_item_add"),
    path("action-items/", views.action_item_list, name="action_item_list"),
    path("action-items/export.xlsx", views.action_item_export, name="action_item_export"),
    path("action-items/<int:pk>/done/", views.action_item_complete, name="action_item_complete"),
    path("pacts/", views.pact_list, name="pact_list"),
    path("pacts/export.xlsx", views.pact_export, name="pact_export"),
    path("pacts/new/", views.pact_create, name="pact_create"),
    path("pacts/<int:pk>/", views.pact_detail, name="pact_detail"),
    path("pacts/<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path("commitments/<int:pk>/fulfil/", views.commitment_fulfil, name="commitment_fulfil"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/export.xlsx", views.activity_export, name="activity_export"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("places/", views.place_list, name="place_list"),
    path("places/export.xlsx", views.place_export, name="place_export"),
    path("places/new/", views.place_create, name="place_create"),
]
