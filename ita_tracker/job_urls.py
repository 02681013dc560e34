from django.urls import path

from ita_tracker import job_views

app_name = "jobs"

urlpatterns = [
    path("", job_views.my_jobs, name="mine"),
    path("<int:pk>/", job_views.job_detail, name="detail"),
    path("<int:pk>/status.json", job_views.job_status, name="status"),
    path("<int:pk>/download/", job_views.job_download, name="download"),
]
