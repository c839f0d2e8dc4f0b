"""Charts rendered on the server as SVG by matplotlib (imported only when one is drawn).

No pyplot (no global state, safe in a web process): a `matplotlib.figure.Figure` on the
SVG canvas, text kept as text (`svg.fonttype: none`: small, searchable, read in the page's
own font), no metadata, fixed ids. The SVG gets `role="img"` and `aria-labelledby` its
figure's caption; the data table beside it is the accessible version. A chart is kept in
the cache under what it shows (its numbers, labels and language).
"""

import hashlib
import io
import json
import re
from collections.abc import Sequence

from django.core.cache import cache
from django.utils.html import escape
from django.utils.translation import get_language

# The site's palette (core/static/core/site.css), told apart by more than colour: the
# table gives every number, and the legend's order is the stack's.
COLOURS = ("#1d4e89", "#e07a1f", "#2e8b57", "#8e3b8e", "#b03a2e", "#5a6b7b", "#c9a227")
INK = "#1f2933"
GRID = "#d9dee3"
CACHE_SECONDS = 24 * 3600
_ROOT = re.compile(r"<svg\b[^>]*>", re.S)
_STYLE = re.compile(r'\sstyle="([^"]*)"')
# The site's Content-Security-Policy allows no inline style (no `style` attribute, no
# <style> element): each declaration becomes the SVG presentation attribute of that name,
# which the policy does not touch (without this, every bar is drawn black).
PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-opacity",
        "opacity",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
    }
)
# What the page does not need: ids (several charts share a page: no duplicates), clipping
# (nothing is drawn outside its axes), metadata, comments, white backgrounds, the font list
# (the text takes the page's font), and the spaces of the path data.
_SHRINK = (
    (re.compile(r"<metadata>.*?</metadata>", re.S), ""),
    (re.compile(r"<style\b.*?</style>", re.S), ""),
    (re.compile(r"<defs>\s*</defs>", re.S), ""),
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"<clipPath\b.*?</clipPath>", re.S), ""),
    (re.compile(r'\s(?:id|clip-path)="[^"]*"'), ""),
    (re.compile(r"font-family:[^;\"]*;?\s*"), ""),
    (re.compile(r'\s*transform="rotate\(-?0 [^"]*\)"'), ""),
    (re.compile(r"(\d+\.\d)\d+"), r"\1"),
    (re.compile(r"\s*\n\s*"), " "),
    (re.compile(r">\s+<"), "><"),
    (re.compile(r'<path d="[^"]*" style="fill: #ffffff"/>'), ""),
    (re.compile(r"<g/>"), ""),
    (re.compile(r"<g></g>"), ""),
    (re.compile(r"<g></g>"), ""),
)


def _svg_root(svg: str, *, labelledby: str) -> str:
    """Keep the <svg> element only, sized by its viewBox, named by the caption."""
    svg = svg[svg.index("<svg") :]
    root = _ROOT.match(svg)
    assert root is not None
    view_box = re.search(r'viewBox="([^"]+)"', root.group(0))
    attributes = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box.group(1) if view_box else ""}"'
        f' role="img" aria-labelledby="{escape(labelledby)}" class="chart-svg">'
    )
    svg = attributes + svg[root.end() :]
    for pattern, replacement in _SHRINK:
        svg = pattern.sub(replacement, svg)
    return _STYLE.sub(_as_attributes, svg).strip()


def _as_attributes(found: re.Match) -> str:
    attributes = []
    for declaration in found.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in PRESENTATION and value:
            attributes.append(f' {name}="{escape(value)}"')
    return "".join(attributes)


def bar_chart_svg(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    labelledby: str,
    width: float = 4.8,
    height: float = 2.8,
) -> str:
    """Bars per label (the quarters), stacked by series (the dimensions), as SVG text."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    settings = {
        "svg.fonttype": "none",
        "svg.hashsalt": "quartiers40",
        "font.family": "sans-serif",
        "font.size": 10,
        "axes.edgecolor": GRID,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "path.simplify": True,
    }
    with rc_context(settings):
        figure = Figure(figsize=(width, height), dpi=72)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        bottoms = [0] * len(labels)
        drawn = [(name, list(values)) for name, values in series if any(values)]
        for index, (name, values) in enumerate(drawn):
            axes.bar(
                positions,
                values,
                bottom=bottoms,
                width=0.7,
                color=COLOURS[index % len(COLOURS)],
                label=name,
                linewidth=0,
                clip_on=False,
            )
            bottoms = [bottom + value for bottom, value in zip(bottoms, values, strict=True)]
        axes.set_xticks(positions, labels)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True, min_n_ticks=1))
        axes.set_ylim(0, max(max(bottoms, default=0), 1))
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.tick_params(length=0)
        if len(drawn) > 1:
            # Under the bars, so that a phone's width goes to them (beside, the names were
            # cut); the order is the stack's, from the bottom.
            axes.legend(
                loc="upper left",
                bbox_to_anchor=(0.0, -0.22),
                frameon=False,
                ncols=2,
                handlelength=1,
                borderaxespad=0,
            )
        figure.tight_layout(pad=0.3)
        buffer = io.StringIO()
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None},
            bbox_inches="tight",  # the legend under the axes included
            pad_inches=0.05,
        )
    return _svg_root(buffer.getvalue(), labelledby=labelledby)


def chart_cached(key: str, build) -> str:
    """`build()` once per chart: `key` holds what the chart shows (its data, the language),
    so a recomputation that changes nothing in it keeps it, and the first visit after a
    refresh redraws only the charts whose numbers moved (matplotlib: 30-100 ms each)."""
    cache_key = f"observatory:chart:{key}"
    svg = cache.get(cache_key)
    if svg is None:
        svg = build()
        cache.set(cache_key, svg, CACHE_SECONDS)
    return svg


def block_chart_svg(block) -> str:
    """A dashboard block's trend: its total per quarter, stacked by dimension."""
    # "T4" over "2026": eight quarters side by side fit a phone.
    labels = [quarter.label.replace(" ", "\n", 1) for quarter in block.quarters]
    if block.lines:
        series = [(line.label, [cell.drawn for cell in line.trend]) for line in block.lines]
    else:
        series = [(block.title, [cell.drawn for cell in block.trend])]
    return bar_chart_cached(labels=labels, series=series, labelledby=block.chart_id + "-titre")


def bar_chart_cached(
    *, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], labelledby: str
) -> str:
    """`bar_chart_svg`, drawn once for what it shows (the dashboards and the report)."""
    shown = json.dumps([get_language(), labels, series, labelledby], ensure_ascii=False)
    return chart_cached(
        hashlib.sha256(shown.encode()).hexdigest(),
        lambda: bar_chart_svg(labels=labels, series=series, labelledby=labelledby),
    )
