from django.urls import path

from . import views

app_name = "translations"
urlpatterns = [
    path("<slug:kind>/<int:pk>/", views.translation_edit, name="edit"),
    path("<slug:kind>/<int:pk>/<slug:language>/", views.translation_edit, name="edit_language"),
]
