"""Mounted at /territoires/fichier/ by config/urls.py, before the territories pages."""

from django.urls import path

from .views import batch as batch_views

app_name = "territories_batch"
urlpatterns = [
    path("", batch_views.upload, name="upload"),
    path("<slug:public_id>/", batch_views.job_detail, name="job"),
    path("<slug:public_id>/etat.json", batch_views.job_status, name="status"),
    path("<slug:public_id>/resultat.csv", batch_views.job_result, name="result"),
]
