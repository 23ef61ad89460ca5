"""One palette for the screen and the exports.

Coverage: three states told apart by lightness as well as hue (host dark blue, regional light
blue, none neutral grey), so they survive colour-blindness and greyscale printing.
Programmes: ColorBrewer YlOrRd, 5 sequential classes, neutral grey for "none".
"""

from __future__ import annotations

SEA = "#dde8ef"
BORDER = "#ffffff"
SELECTED_OUTLINE = "#111111"
NONE = "#d9d9d9"
COVERAGE = {"host": "#08519c", "regional": "#6baed6", "none": NONE}
#: France, home of the network, in a tone of its own on every map (neither a coverage state
#: nor a programmes class).
HOME = "#8e7cc3"
#: The countries outside a scoped user's scope: lighter than "none", so they read as absent.
OUT_OF_SCOPE = "#f3f3f1"
SEQUENTIAL = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
#: Posts are reference symbols: dark, outlined in white, never louder than the fills.
POST_MARKER = "#ffffff"
POST_MARKER_FILL = "#1f2a36"
LINK = "#08306b"
# Programme status in the panels' timeline: the present dark, the future light, the past grey.
# The changes mode (layers/changes.py): coverage in strong tones, programmes in light ones.
CHANGES = {"gained": "#1b7837", "lost": "#b2182b", "moved": "#2166ac", "more": "#a6dba0",
           "fewer": "#f4a582", "even": "#fee08b"}
BUDGET_LINE = "#b35806"  # the panel's budget per year, over the status bars
STATUS = {"completed": "#9e9e9e", "active": "#08519c", "planned": "#9ecae1"}


def class_colors(n_classes: int) -> list[str]:
    """``n_classes`` colours spread over the sequential scale, light to dark."""
    last = len(SEQUENTIAL) - 1
    if n_classes <= 0:
        return []
    if n_classes == 1:
        return [SEQUENTIAL[last // 2]]
    return [SEQUENTIAL[round(i * last / (n_classes - 1))] for i in range(n_classes)]
#: The frame and caption of an export's insets.
INSET_FRAME = "#5a6472"
