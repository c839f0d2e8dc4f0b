"""A one-line progress bar for management commands (no dependency)."""

import time

from django.core.management.base import OutputWrapper


class ProgressBar:
    """Call it with (done, total); it redraws one line on the stream, at most every 0.1 s."""

    def __init__(self, stream: OutputWrapper, label: str, *, width: int = 30):
        self.stream = stream
        self.label = label
        self.width = width
        self._last_draw = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        ratio = done / total if total else 1.0
        filled = int(ratio * self.width)
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(
            f"\r{self.label} {bar} {ratio:4.0%} ({done:,}/{total:,})".replace(",", "\u202f"),
            ending="",
        )
        self.stream.flush()
        self._drawn = True
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._drawn:
            self.stream.write("")
            self._drawn = False
