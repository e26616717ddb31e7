from django.urls import path

from solibook.crm import views

app_name = "crm"

urlpatterns = [
    path("", views.office_home, name="home"),
    path("new/", views.business_new, name="business_new"),
    path("<slug:business_slug>/", views.dashboard, name="dashboard"),
    path("<slug:business_slug>/locations/", views.location_list, name="location_list"),
    path("<slug:business_slug>/locations/new/", views.location_new, name="location_new"),
    path("<slug:business_slug>/locations/<int:location_id>/", views.location_edit, name="location_edit"),
    path("<slug:business_slug>/team/", views.team, name="team"),
    path("<slug:business_slug>/team/<int:member_id>/role/", views.member_role, name="member_role"),
    path("<slug:business_slug>/audit/", views.audit, name="audit"),
]
