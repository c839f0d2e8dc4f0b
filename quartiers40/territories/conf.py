"""Settings of the territories app, each with a default that works out of the box.

Read at call time (never cached) so `override_settings` and the environment both
work. `docs/territories.md` lists them.
"""

import os

from django.conf import settings

DATAGOUV_QPV_DATASET_URL = "https://www.data.gouv.fr/api/1/datasets/5a561801c751df42d7fca9b6/"


def _setting(name: str, default):
    return getattr(settings, name, default)


class TerritoriesConf:
    # --- QPV layer -----------------------------------------------------------

    @property
    def QPV_SOURCE(self) -> str:
        """File path or URL of the layer to import when none is given; "" = data.gouv.fr."""
        return str(_setting("QPV_SOURCE", "") or os.environ.get("QPV_SOURCE", "")).strip()

    @property
    def COMMUNES_SOURCE(self) -> str:
        """Directory, communes.json file or URL of the commune list; "" = the npm package."""
        return str(_setting("COMMUNES_SOURCE", "") or os.environ.get("COMMUNES_SOURCE", "")).strip()

    @property
    def QPV_GENERATION(self) -> int:
        """The generation (millésime) imported by default and used for lookups."""
        return int(_setting("QPV_GENERATION", 2024))

    @property
    def QPV_DATASET_API_URL(self) -> str:
        return _setting("QPV_DATASET_API_URL", DATAGOUV_QPV_DATASET_URL)

    @property
    def QPV_ZIP_MEMBER(self) -> str:
        """The national layer inside the official ZIP archive."""
        return _setting("QPV_ZIP_MEMBER", "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson")

    @property
    def QPV_IMPORT_MAX_RETIRED_SHARE(self) -> float:
        """The share of the QPVs in force an import may retire without `--allow-retire`."""
        return float(_setting("QPV_IMPORT_MAX_RETIRED_SHARE", 0.05))

    @property
    def QPV_DOWNLOAD_TIMEOUT(self) -> float:
        return float(_setting("QPV_DOWNLOAD_TIMEOUT", 60.0))

    @property
    def QPV_DOWNLOAD_MAX_BYTES(self) -> int:
        return int(_setting("QPV_DOWNLOAD_MAX_BYTES", 300 * 1024 * 1024))

    @property
    def QPV_INDEX_CHECK_SECONDS(self) -> float:
        """How often a process asks the database whether the layer changed."""
        return float(_setting("QPV_INDEX_CHECK_SECONDS", 5.0))

    @property
    def QPV_INDEX_CACHE_DIR(self) -> str | None:
        """Where processes save the prepared lookup index for the next ones; None (the
        default): a directory of this user's in the temporary directory; "": nowhere."""
        value = _setting("QPV_INDEX_CACHE_DIR", None)
        return None if value is None else str(value)

    # --- Geocoder (Géoplateforme) ---------------------------------------------

    @property
    def GEOCODER_ENABLED(self) -> bool:
        return bool(_setting("GEOCODER_ENABLED", True))

    @property
    def GEOCODER_URL(self) -> str:
        return str(_setting("GEOCODER_URL", "https://data.geopf.fr/geocodage")).rstrip("/")

    @property
    def GEOCODER_TIMEOUT(self) -> float:
        """Seconds for one address."""
        return float(_setting("GEOCODER_TIMEOUT", 5.0))

    @property
    def GEOCODER_BATCH_TIMEOUT(self) -> float:
        """Seconds for one CSV chunk sent to /search/csv/."""
        return float(_setting("GEOCODER_BATCH_TIMEOUT", 120.0))

    @property
    def GEOCODER_RETRIES(self) -> int:
        """Extra attempts after a timeout, a network error, a 429 or a 5xx."""
        return max(0, int(_setting("GEOCODER_RETRIES", 2)))

    @property
    def GEOCODER_RETRY_BACKOFF(self) -> float:
        """Seconds before the first retry, doubled at each following one."""
        return float(_setting("GEOCODER_RETRY_BACKOFF", 0.5))

    @property
    def GEOCODER_MIN_SCORE(self) -> float:
        """Under this score (0 to 1) an address is reported as uncertain."""
        return float(_setting("GEOCODER_MIN_SCORE", 0.5))

    @property
    def GEOCODER_BATCH_SIZE(self) -> int:
        """Rows per request to /search/csv/."""
        return max(1, int(_setting("GEOCODER_BATCH_SIZE", 5000)))


conf = TerritoriesConf()
