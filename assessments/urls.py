from django.urls import path

from assessments import views
from assessments.views import editor, transfer

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/analysis/", views.analysis, name="analysis"),
    path("entry/", views.choose_year, name="choose_year"),
    path("entry/<int:year>/", views.entry, name="entry"),
    path("bands/", views.bands, name="bands"),
    path("compare/", views.compare, name="compare"),
    path("import/", transfer.import_view, name="import"),
    path("import/background/", transfer.import_background_view, name="import_background"),
    path("import/template.csv", transfer.import_template_view, name="import_template"),
    path("export/", transfer.export_view, name="export"),
    # The framework editor (national administrators): assessments/views/editor.py
    path("frameworks/", editor.edition_list, name="edition_list"),
    path("frameworks/<int:year>/", editor.edition_edit, name="edition_edit"),
    path("frameworks/<int:year>/items/", editor.edition_items, name="edition_items"),
    path("frameworks/<int:year>/diff/", editor.edition_diff, name="edition_diff"),
    path("frameworks/<int:year>/open-next/", editor.edition_open_next, name="edition_open_next"),
]
