"""Dashboards, coverage and the quarterly report, under `observatoire/`."""

from django.urls import path  # noqa: F401

app_name = "observatory"

urlpatterns: list = []
