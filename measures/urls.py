from django.urls import path

from measures import library_views, views
from measures.oit.urls import urlpatterns as oit_urlpatterns

app_name = "measures"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.my_measures, name="mine"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/timeline/", views.plan_timeline, name="plan_timeline"),
    path("plans/<int:pk>/as-of/", views.plan_as_of, name="plan_as_of"),
    path("plans/<int:plan_pk>/measures/new/", views.measure_edit, name="measure_create"),
    path("plans/<int:plan_pk>/measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("<int:pk>/", views.measure_detail, name="measure_detail"),
    # The dimension and budget are fields of the measure form now; the address of their old form leads there.
    path("<int:pk>/dimension/", views.measure_dimension, name="measure_dimension"),
    path("<int:pk>/progress/", views.progress_create, name="progress_create"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("plans/<int:pk>/draft/", library_views.plan_draft, name="plan_draft"),
    path("steps/<int:pk>/done/", library_views.step_done, name="step_done"),
    path("library/", library_views.library_index, name="library"),
    path("library/<int:pk>/decide/", library_views.library_decide, name="library_decide"),
    path("<int:pk>/to-library/", library_views.library_add, name="library_add"),
    *oit_urlpatterns,
]
