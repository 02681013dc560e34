from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("memos/new/", views.memo_start, name="memo_start"),
    path("memos/<int:pk>/", views.memo_detail, name="memo_detail"),
    path("memos/<int:pk>/edit/", views.memo_edit, name="memo_edit"),
    path("memos/<int:pk>/submit/", views.memo_submit, name="memo_submit"),
    path("memos/<int:pk>/decide/", views.memo_decide, name="memo_decide"),
    path("memos/<int:pk>/delete/", views.memo_delete, name="memo_delete"),
    path("memos/<int:pk>/publish/", views.memo_publish, name="memo_publish"),
    path("chains/", views.chain_list, name="chain_list"),
    path("chains/new/", views.chain_edit, name="chain_create"),
    path("chains/<int:pk>/edit/", views.chain_edit, name="chain_edit"),
]
