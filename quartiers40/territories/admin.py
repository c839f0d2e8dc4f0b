from django.contrib import admin

from .models import QPV, Commune, QPVCheckJob


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    """Reference data from `manage.py import_communes`: read, not edited."""

    list_display = ["code", "name", "department_code", "population", "epci_name"]
    list_filter = ["kind", "department_code"]
    search_fields = ["code", "name", "search_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QPV)
class QPVAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "commune_name", "department_code", "generation", "is_active"]
    list_filter = ["generation", "is_active", "region_name", "department_code"]
    search_fields = ["code", "name", "commune_name"]
    # The geometry comes from the import only: shown, never edited here.
    exclude = ["geometry_wkb", "display_geojson"]
    readonly_fields = [
        "area_m2",
        "centroid_lon",
        "centroid_lat",
        "bbox_min_lon",
        "bbox_min_lat",
        "bbox_max_lon",
        "bbox_max_lat",
        "updated_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).without_geometry_fields()


@admin.register(QPVCheckJob)
class QPVCheckJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "status", "rows_done", "rows_total", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["filename", "public_id", "created_by__email"]
    # Files are private: the admin shows the job, never a public link to its data.
    exclude = ["source", "result"]
    readonly_fields = [
        field.name
        for field in QPVCheckJob._meta.fields
        if field.name not in {"source", "result", "id"}
    ]

    def has_add_permission(self, request):
        return False
