"""The open-data catalogue: the list of datasets (`registry`), what their files weigh and
when they last changed (`stats`), the ZIP of everything (`archive`) and the DCAT-AP
catalogue in JSON-LD (`dcat`). The exports the platform lacked live here too:
`organisations` and `meetings` (editions, action items). See docs/open-data.md."""
