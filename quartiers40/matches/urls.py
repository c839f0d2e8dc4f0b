from django.urls import path

from . import views

app_name = "matches"

urlpatterns = [
    path("<int:pk>/ouvrir/", views.match_open, name="open"),
    path("<int:pk>/avis/", views.match_feedback, name="feedback"),
]
