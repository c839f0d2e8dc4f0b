from django.urls import path

from . import views

app_name = "plainlanguage"
urlpatterns = [
    path("verifier/", views.plain_check, name="check"),
]
