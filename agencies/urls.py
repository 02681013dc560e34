from django.urls import path

from agencies import identity_views, views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("switch/", views.switch_agency, name="switch"),
    path("security/", identity_views.security, name="security"),
    path("security/start/", identity_views.security_start, name="security_start"),
    path("security/confirm/", identity_views.security_confirm, name="security_confirm"),
    path("security/recovery/", identity_views.security_recovery, name="security_recovery"),
    path("security/remove/", identity_views.security_remove, name="security_remove"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("<int:pk>/edit/", views.agency_update, name="update"),
    path("<int:pk>/emblem/", views.agency_emblem, name="emblem"),
    path("<int:pk>/departments/add/", views.department_edit, name="department_add"),
    path("<int:pk>/departments/<int:department_pk>/edit/", views.department_edit, name="department_edit"),
    path("<int:pk>/people/add/", views.person_add, name="person_add"),
    path("<int:pk>/people/<int:membership_pk>/edit/", views.membership_edit, name="membership_edit"),
    path("<int:pk>/people/<int:membership_pk>/suspend/", views.person_suspend, name="person_suspend"),
    path("<int:pk>/audit/", views.audit_list, name="audit"),
]
