"""The quarterly impact report: drafted at the end of each quarter from the observatory's
figures and the apps' public rows (a snapshot kept in the report, so an archived report
never changes), given an editorial and published by the coordination team, as a page and a
tagged PDF (WeasyPrint). See docs/observatory.md, "Quarterly report"."""
