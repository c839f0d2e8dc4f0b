from django.contrib import admin

from .models import QPV


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
