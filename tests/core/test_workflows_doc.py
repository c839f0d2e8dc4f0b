"""docs/workflows.md is generated from the transition tables and must not drift from them."""

from pathlib import Path

from django.conf import settings

from quartiers40.core.workflows import workflows_markdown, workflows_registered


def test_docs_workflows_md_matches_the_tables():
    doc = Path(settings.BASE_DIR) / "docs" / "workflows.md"
    assert doc.read_text() == workflows_markdown(), (
        "docs/workflows.md is stale: run `python manage.py workflows_doc`"
    )


def test_every_table_logs_under_names_of_its_own():
    seen: dict[str, str] = {}
    for workflow in workflows_registered():
        for transition in workflow.transitions:
            assert transition.log, f"{workflow.name}.{transition.name} logs nothing"
            owner = seen.setdefault(transition.log, workflow.name)
            assert owner == workflow.name, f"{transition.log} is logged by two workflows"
