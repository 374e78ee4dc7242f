"""Bar charts for the bulletin PDF: each child unit's value of one indicator against its
target, bars coloured by the traffic light, drawn as ReportLab vector graphics (the same
embedded Chinese font as the text), from the snapshot only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from youke.monitoring.domain.reading import format_value
from youke.monitoring.enums import Light

# A chart with more bars than this is unreadable on a page; the ranked table above it says
# the same for a province's 200 counties.
MAX_BARS = 40
LIGHT_COLOURS = {
    Light.GREEN: "#2f9e44",
    Light.AMBER: "#f08c00",
    Light.RED: "#e03131",
    Light.NONE: "#adb5bd",
}
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, VALUE_WIDTH = 10.0, 4.0, 110.0, 46.0


def chartable(snapshot: dict, table: dict) -> bool:
    return 0 < len(table["rows"]) <= MAX_BARS and bool(snapshot["indicators"])


def indicator_chart(snapshot: dict, table: dict, position: int, width: float, font: str):
    """A Drawing of the table's units for indicator ``position`` (index in the snapshot)."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    indicator = snapshot["indicators"][position]
    measure = indicator["measure"]
    cells = [(row["name"], row["cells"][position]) for row in table["rows"]]
    values = [c["value"] for _name, c in cells if c["value"] is not None]
    targets = [c["target"] for _name, c in cells if c["target"] is not None]
    top = max(values + targets + [0]) or 1.0
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    title_height = 16.0
    height = title_height + len(cells) * (BAR_HEIGHT + BAR_GAP) + 2
    drawing = Drawing(width, height)
    drawing.add(
        String(
            0,
            height - 11,
            _("%(indicator)s（%(table)s，虚线为目标）")
            % {"indicator": indicator["name"], "table": table["title"]},
            fontName=font,
            fontSize=9,
        )
    )
    y = height - title_height - BAR_HEIGHT
    for name, cell in cells:
        drawing.add(String(0, y + 2, name[:14], fontName=font, fontSize=7.5))
        value = cell["value"]
        if value is not None:
            drawing.add(
                Rect(
                    LABEL_WIDTH,
                    y,
                    plot * value / top,
                    BAR_HEIGHT,
                    fillColor=colors.HexColor(LIGHT_COLOURS[Light(cell["light"])]),
                    strokeColor=None,
                )
            )
        drawing.add(
            String(
                LABEL_WIDTH + plot + 4,
                y + 2,
                format_value(value, measure),
                fontName=font,
                fontSize=7.5,
            )
        )
        if cell["target"] is not None:
            x = LABEL_WIDTH + plot * cell["target"] / top
            drawing.add(
                Line(
                    x,
                    y - BAR_GAP / 2,
                    x,
                    y + BAR_HEIGHT + BAR_GAP / 2,
                    strokeColor=colors.black,
                    strokeWidth=0.8,
                    strokeDashArray=[2, 1.5],
                )
            )
        y -= BAR_HEIGHT + BAR_GAP
    return drawing
