"""The territories pages: the QPV directory and pages (`pages`), the CSV file check (`batch`).

`urls.py` and `batch_urls.py` route to them: `views.directory`, `views.batch.upload`…
"""

from .pages import check, detail, directory, map_perimeters, map_points, suggestions

__all__ = ["check", "detail", "directory", "map_perimeters", "map_points", "suggestions"]
