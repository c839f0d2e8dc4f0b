from django.contrib import admin

from .models import QPV


@admin.register(QPV)
class QPVAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department_code", "commune_name"]
    list_filter = ["department_code"]
    search_fields = ["code", "name", "commune_name"]
