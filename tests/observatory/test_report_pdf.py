# ruff: noqa: F811 - the fixtures `report` and `petit_dej` come from test_report.py
"""The report's PDF: tagged, titled, in French, under 2 MB, rendered to PNG by poppler's
`pdftoppm` (page 1 kept in /tmp to be looked at), built once and then read from its file."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from quartiers40.observatory.reports import pdf as report_pdf_module
from quartiers40.observatory.reports.services import (
    report_editorial_update,
    report_pdf,
    report_publish,
)
from tests.members.factories import CoordinatorFactory
from tests.observatory.test_report import petit_dej, report  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PDFINFO = shutil.which("pdfinfo") or "/usr/bin/pdfinfo"  # poppler-utils
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
MAX_BYTES = 2 * 1024 * 1024
# Looked at by hand; never in the repository.
PAGE_ONE = Path(tempfile.gettempdir()) / "rapport-2025-t4-page1.png"


@pytest.fixture
def published(report):
    coordinator = CoordinatorFactory()
    report_editorial_update(
        report=report,
        actor=coordinator,
        editorial=(
            "## Un trimestre de plus\n\nDeux projets publiés et un défi résolu à Franc-Moisin."
        ),
    )
    return report_publish(report=report, actor=coordinator)


def _pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(  # noqa: S603
        [PDFINFO, str(path)], capture_output=True, text=True, check=True
    ).stdout
    return {
        key.strip(): value.strip()
        for key, _sep, value in (line.partition(":") for line in out.splitlines())
    }


def test_the_pdf_is_tagged_titled_in_french_light_and_renders(published, tmp_path):
    content = report_pdf(published)
    assert content.startswith(b"%PDF-")
    assert len(content) < MAX_BYTES
    path = tmp_path / "rapport.pdf"
    path.write_bytes(content)
    info = _pdfinfo(path)
    assert info["Title"] == "Quartiers 4.0 : rapport d'impact du T4 2025"
    assert info["Tagged"] == "yes"
    assert int(info["Pages"]) >= 2
    # The catalogue's language (PDF/UA): /Lang (fr).
    from pypdf import PdfReader

    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = reader.pages[0].extract_text()
    assert "Rapport d'impact du T4 2025" in text
    assert "Un trimestre de plus" in text
    # Page 1 as an image, with poppler.
    subprocess.run(  # noqa: S603
        [PDFTOPPM, "-png", "-r", "80", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5_000
    shutil.copy(png, PAGE_ONE)
    shutil.copy(path, PAGE_ONE.with_suffix(".pdf"))


def test_the_pdf_is_built_once_then_read_from_its_file(published, monkeypatch):
    first = report_pdf(published)
    published.refresh_from_db()
    assert published.pdf and published.pdf_key

    def no_build(_report):  # a second download must not build it again
        raise AssertionError("built again")

    monkeypatch.setattr(report_pdf_module, "report_pdf_build", no_build)
    assert report_pdf(published) == first


def test_a_new_editorial_makes_a_new_pdf(published, django_capture_on_commit_callbacks):
    report_pdf(published)
    published.refresh_from_db()
    old_name, old_key = published.pdf.name, published.pdf_key
    report_editorial_update(
        report=published, actor=CoordinatorFactory(), editorial="Un autre éditorial."
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_pdf(published)
    published.refresh_from_db()
    assert published.pdf_key != old_key and published.pdf.name != old_name
    assert not published.pdf.storage.exists(old_name)
