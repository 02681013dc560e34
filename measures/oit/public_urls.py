"""Addresses anyone may open without logging in: an agency's OIT list of a year and each of its items (the address
the agency types into ITAS). Mounted at ``public/oit/`` by ``ita_tracker/urls.py``."""

from django.urls import path

from measures.oit import public_views

app_name = "oit_public"

urlpatterns = [
    path("<slug:code>/<int:year>/", public_views.oit_list, name="list"),
    path("<slug:code>/<int:year>/<slug:item>/", public_views.oit_item, name="item"),
    path("<slug:code>/<int:year>/<slug:item>/files/<int:pk>/", public_views.oit_file, name="file"),
]
