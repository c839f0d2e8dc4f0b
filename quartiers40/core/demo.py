"""The demo dataset, loaded app by app: each app registers its loader, as it does sections.

    demo_loader_register(DemoLoader(key="projects", order=20, load="quartiers40.projects.demo.load",
                                    reset="quartiers40.projects.demo.reset",
                                    summary={"projects": "{n} projets d'IA"}))

`load` and `reset` are dotted paths, imported when the dataset is loaded or reset: an
app's `demo` module (factories, Faker, the search engine for the index) is then not
imported by every process when Django starts, which every command pays (issue 17).
A callable is accepted too (tests).

`manage.py load_demo` (in the `home` app) runs the loaders in order with one seeded random
generator, and resets them in the reverse order (what was loaded last goes first: an
edition protects the organisations that run it).
"""

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DemoLoader:
    """`load(rng=…)` returns the counts it created ({"projects": 60}); `summary` says how
    `load_demo` reports each count ("{n} projets d'IA"); `reset()` deletes what it made."""

    key: str
    order: int
    load: Callable[..., Mapping[str, int]] | str  # a dotted path, imported at first use
    reset: Callable[[], None] | str
    summary: Mapping[str, str] = field(default_factory=dict)

    def load_with(self, *, rng: random.Random) -> Mapping[str, int]:
        return _function(self.load)(rng=rng)

    def reset_all(self) -> None:
        _function(self.reset)()


def _function(target: Callable | str) -> Callable:
    return import_string(target) if isinstance(target, str) else target


_LOADERS: dict[str, DemoLoader] = {}


def demo_loader_register(loader: DemoLoader) -> None:
    """Add (or replace, by key) an app's demo loader; called from an AppConfig.ready()."""
    _LOADERS[loader.key] = loader


def demo_loaders() -> list[DemoLoader]:
    return sorted(_LOADERS.values(), key=lambda loader: (loader.order, loader.key))


def demo_load(*, seed: int) -> list[str]:
    """Run every loader in order with one seeded generator; the summary, piece by piece."""
    rng = random.Random(seed)  # noqa: S311 - the same dataset on every machine
    pieces = []
    for loader in demo_loaders():
        counts = loader.load_with(rng=rng)
        pieces += [text.format(n=counts[key]) for key, text in loader.summary.items()]
    return pieces


def demo_reset() -> None:
    for loader in reversed(demo_loaders()):
        loader.reset_all()
