"""The open-data catalogue, under `donnees-ouvertes/`."""

from django.urls import path  # noqa: F401

app_name = "open_data"

urlpatterns: list = []
