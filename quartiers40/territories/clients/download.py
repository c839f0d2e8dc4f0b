"""Downloading a file over HTTP(S), with timeouts and a size ceiling."""

from pathlib import Path

import httpx
from django.utils.translation import gettext as _

USER_AGENT = "Quartiers40/1.0 (+https://quartiers40.fr)"


class DownloadError(Exception):
    """The download failed; the message (French) says why."""


def download_to_file(url: str, destination: Path, *, timeout: float, max_bytes: int) -> Path:
    """Stream `url` into `destination`. `timeout` bounds each network wait, not the total."""
    timeouts = httpx.Timeout(timeout, connect=min(timeout, 15.0))
    size = 0
    try:
        with (
            httpx.stream(
                "GET",
                url,
                timeout=timeouts,
                follow_redirects=True,
                headers={"User-Agent": USER_AGENT},
            ) as response,
            destination.open("wb") as handle,
        ):
            response.raise_for_status()
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise DownloadError(
                        _("Le fichier %(url)s dépasse la taille maximale de %(size)s Mo.")
                        % {"url": url, "size": max_bytes // (1024 * 1024)}
                    )
                handle.write(chunk)
    except httpx.HTTPStatusError as error:
        raise DownloadError(
            _("Le téléchargement de %(url)s a échoué (HTTP %(status)s).")
            % {"url": url, "status": error.response.status_code}
        ) from error
    except httpx.TimeoutException as error:
        raise DownloadError(
            _("Le serveur de %(url)s ne répond pas (délai de %(timeout)s s dépassé).")
            % {"url": url, "timeout": timeout}
        ) from error
    except httpx.HTTPError as error:
        raise DownloadError(
            _("Impossible de télécharger %(url)s : %(error)s") % {"url": url, "error": error}
        ) from error
    return destination
