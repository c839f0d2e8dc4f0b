"""Build quartiers40/core/static/core/icons.svg, the site's icon sprite, from Lucide (ISC).

    npm pack lucide-static@1.62.0 && tar xzf lucide-static-1.62.0.tgz
    python scripts/icons_sprite.py package/icons

Only the icons listed here go in (a few KB, cached once for every page). Templates use
them with `{% icon "calendar" %}` (core/templatetags/icons.py): decorative, hidden from
screen readers, coloured by the text around them.
"""

import re
import sys
from pathlib import Path

ICONS = [
    "arrow-right",
    "building-2",
    "calendar",
    "circle-alert",
    "circle-check",
    "clock",
    "download",
    "graduation-cap",
    "heart",
    "house",
    "lightbulb",
    "list-checks",
    "log-in",
    "map",
    "map-pin",
    "message-circle-question",
    "search",
    "user",
    "users",
    "video",
]
OUT = Path(__file__).resolve().parent.parent / "quartiers40/core/static/core/icons.svg"


def main(source: Path) -> None:
    symbols = []
    for name in ICONS:
        svg = (source / f"{name}.svg").read_text()
        body = svg[svg.index(">", svg.index("<svg")) + 1 : svg.rindex("</svg>")]
        body = re.sub(r"\s+", " ", re.sub(r"<!--.*?-->", "", body, flags=re.S)).strip()
        symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24">{body}</symbol>')
    OUT.write_text(
        "<!-- Lucide icons (lucide-static 1.62.0), ISC License: see icons.LICENSE.txt -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">\n'
        + "\n".join(symbols)
        + "\n</svg>\n"
    )
    print(f"{OUT}: {len(symbols)} icons, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
