from django.urls import path

from redchain.partylife import views

app_name = "partylife"
urlpatterns = [
    path("", views.index, name="index"),
    path("activities.xlsx", views.activity_export, name="activity_export"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("compliance.xlsx", views.compliance_export, name="compliance_export"),
    path("cadence/", views.cadence, name="cadence"),
    path("cadence/new/", views.cadence_form, name="cadence_create"),
    path("cadence/<int:pk>/edit/", views.cadence_form, name="cadence_edit"),
    path("cadence/defaults/", views.cadence_defaults, name="cadence_defaults"),
    path("brands/", views.brand_list, name="brand_list"),
    path("brands.xlsx", views.brand_export, name="brand_export"),
    path("brands/new/", views.brand_create, name="brand_create"),
    path("brands/<int:pk>/edit/", views.brand_edit, name="brand_edit"),
    path("brands/<int:pk>/name/", views.brand_name, name="brand_name"),
    path("brands/<int:pk>/retire/", views.brand_retire, name="brand_retire"),
    path("ratings/", views.rating_list, name="rating_list"),
    path("ratings.xlsx", views.rating_export, name="rating_export"),
    path("ratings/new/", views.rating_create, name="rating_create"),
    path("ratings/<int:pk>/edit/", views.rating_edit, name="rating_edit"),
]
