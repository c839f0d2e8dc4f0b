"""Pages everybody reads (views/public.py)."""

from django.urls import path

from .views import public

urlpatterns = [
    path("<slug:slug>/", public.detail, name="detail"),
]
