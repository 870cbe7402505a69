from django.urls import path

from redchain.orgs import views, views_excel

app_name = "orgs"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("party-orgs/", views.party_org_tree, name="party_org_tree"),
    path("party-orgs/<int:pk>/", views.party_org_detail, name="party_org_detail"),
    path("party-members/", views.party_member_list, name="party_member_list"),
    path("alliances/", views.alliance_list, name="alliance_list"),
    path("alliances/<int:pk>/", views.alliance_detail, name="alliance_detail"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/data.json", views.matrix_data, name="matrix_data"),
    # Excel in and out; <kind> is one of enterprises, party-orgs, party-members.
    path("import/<slug:kind>/", views_excel.import_upload, name="import"),
    path("import/<slug:kind>/template.xlsx", views_excel.import_template, name="import_template"),
    path("export/<slug:kind>.xlsx", views_excel.export, name="export"),
]
