"""`tout.zip`: every dataset in every format, their Table Schemas and a README, in one file.

Written into a temporary file on disk, one member at a time: the memory it takes is that of
the largest single export (the exports build their file as one string), never the sum of
them. The files are the ones the download addresses serve (`registry`), byte for byte.
"""

import zipfile
from datetime import datetime
from pathlib import Path
from typing import IO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from .registry import DATASETS, LICENCE

README_NAME = "LISEZMOI.md"
SCHEMAS_DIR = "schemas"
DATE_TIME = tuple[int, int, int, int, int, int]


def schema_file(dataset) -> Path:
    return Path(settings.BASE_DIR) / dataset.schema_path


def archive_members() -> list[str]:
    """The names the archive holds, in its order."""
    names = [README_NAME]
    for dataset in DATASETS:
        names.extend(distribution.filename for distribution in dataset.distributions)
        names.append(f"{SCHEMAS_DIR}/{dataset.schema_name}")
    return names


def _info(name: str, moment: DATE_TIME) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=moment)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def archive_write(target: IO[bytes], *, now: datetime | None = None) -> None:
    """Write the archive into `target` (a file opened for writing in binary)."""
    moment = timezone.localtime(now or timezone.now())
    stamp: DATE_TIME = (
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with override("fr"):
            readme = render_to_string(
                "observatory/open_data/readme.md",
                {
                    "datasets": DATASETS,
                    "licence": LICENCE,
                    "generated_at": moment,
                    "schemas_dir": SCHEMAS_DIR,
                    "site_url": settings.SITE_URL,
                },
            )
        archive.writestr(_info(README_NAME, stamp), readme)
        for dataset in DATASETS:
            for distribution in dataset.distributions:
                body = distribution.build()
                archive.writestr(_info(distribution.filename, stamp), body.encode("utf-8"))
                del body
            archive.writestr(
                _info(f"{SCHEMAS_DIR}/{dataset.schema_name}", stamp),
                schema_file(dataset).read_bytes(),
            )
