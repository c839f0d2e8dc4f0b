from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("nouveau/", views.project_create, name="create"),
    path("carte/", views.project_map, name="map"),
    path("carte/points.json", views.project_map_data, name="map_data"),
    path("<str:key>/", views.project_detail, name="detail"),
    path("<str:key>/modifier/", views.project_edit, name="edit"),
    path("<str:key>/suivre/", views.project_follow, name="follow"),
    path("<str:key>/contact/", views.project_contact, name="contact"),
    path("<str:key>/fichiers/", views.project_files, name="files"),
    path("<str:key>/archiver/", views.project_archive, name="archive"),
    path("<str:key>/publier/", views.project_publish, name="publish"),
    path("<str:key>/renvoyer/", views.project_return, name="return"),
]
