"""A progress bar for the commands that index many documents (on a terminal only)."""

import sys
import time
from typing import TextIO


class ProgressBar:
    WIDTH = 30

    def __init__(self, stream: TextIO | None = None, *, min_interval: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.min_interval = min_interval
        self._last = 0.0
        self._label = ""

    def __call__(self, label: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if label != self._label and self._label:
            self.stream.write("\n" if self.tty else "")
        self._label = label
        if not finished and now - self._last < self.min_interval:
            return
        self._last = now
        share = done / total if total else 1.0
        filled = round(share * self.WIDTH)
        line = f"{label:<14} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if finished else ""))
        elif finished:
            self.stream.write(line + "\n")
        self.stream.flush()
