"""Component ids, in one place."""

URL = "url"
MAP = "map"
LEGEND = "legend"
MAP_SOURCE = "map-source"
ASOF_BADGE = "asof-badge"  # the as-of date, large on the map, when not the data's own
CONTROL_PREFIX = "filter-"


def control(key: str) -> str:
    """The id of the filter column's control ``key`` (``viewmodel.urlstate.CONTROL_KEYS``:
    mode, metric, layers and every declared filter), e.g. ``filter-themes``."""
    return CONTROL_PREFIX + key


MODE = control("mode")
METRIC = control("metric")
LAYER_TOGGLES = control("layers")
SINCE = control("since")  # the changes mode's baseline
CHANGES_BOX = "changes-box"  # the changes mode's list of changes in words
# Playback (viewmodel/playback.py, assets/playback.js)
PLAY = "play"
PLAY_PREVIOUS = "play-previous"
PLAY_NEXT = "play-next"
PLAY_STEP = "play-step"
PLAY_FRAMES = "play-frames"  # every frame, sent once per playback
PLAY_STATE = "play-state"  # {"index": the frame shown}
LIVE_HIDEOUTS = "live-hideouts"  # {layer id: the hideout keys the page applies in place}
PLAY_STALE = "play-stale"  # counts the control changes made while frames are loaded
PLAY_TICK = "play-tick"
PLAY_BUDGET = "play-budget"  # the frame's year budget
RESET = "filter-reset"
SELECTED_COUNTRY = "selected-country"
COUNTRY_SHAPES = "country-shapes"  # the URL of the country shapes (a TopoJSON topology)
LANG = "lang"
KPI_POSTS = "kpi-posts"
KPI_STAFF = "kpi-staff"
KPI_COVERED = "kpi-covered"
KPI_PROGRAMMES = "kpi-programmes"
KPI_BUDGET = "kpi-budget"
#: The KPI strip's figures, in the order of ``viewmodel.mapview.MapView.kpi_texts``.
KPIS = (KPI_POSTS, KPI_STAFF, KPI_COVERED, KPI_PROGRAMMES, KPI_BUDGET)
DEMO_BANNER = "demo-banner"
FALLBACK_BANNER = "fallback-banner"
SHARE = "share-link"
SELECTED_POST = "selected-post"
PANEL = "panel"
PANEL_KICKER = "panel-kicker"
PANEL_TITLE = "panel-title"
PANEL_SUBTITLE = "panel-subtitle"
PANEL_BODY = "panel-body"
PANEL_CLOSE = "panel-close"
PANEL_ZOOM = "panel-zoom"
PANEL_BOUNDS = "panel-bounds"  # {"key", "bounds"}: the selection, brought into view
MAP_EXTENT = "map-extent"  # {"lat", "lon", "zoom"} of a map moved off the world view, or None
MAP_TARGET = "map-target"  # the viewport a URL asks for, applied once the map is drawn
URL_READ = "url-read"  # True once the page has read its URL into the controls
URL_WRITTEN = "url-written"  # the last query the page wrote into its URL itself
MAP_WORLD = "map-world"  # the home view (the world, a scope's): {"center", "max_zoom"}
REGION_FOCUS = "region-focus"  # {"key", "bounds"}: the chosen regions, fitted
PANEL_SORT = "panel-sort"
PANEL_REQUEST = "panel-request"  # {"country", "post", "n"}: the last panel a user asked for
REQUEST_HANDLED = "request-handled"  # {"request": n, "reset": clicks}: acted on by the URL callback
PANEL_SEARCH = "panel-search"
PANEL_OPEN = "panel-open"  # pattern-matching: {"type": PANEL_OPEN, "target": iso3 | "post:<id>"}
PANEL_SORT_BY = "panel-sort-by"  # pattern-matching type: {"type": PANEL_SORT_BY, "column": ...}
EXPORT = "export"
EXPORT_OPEN = "export-open"
EXPORT_DIALOG = "export-dialog"
EXPORT_CLOSE = "export-close"
EXPORT_CANCEL = "export-cancel"
EXPORT_FORMAT = "export-format"
EXPORT_SIZE = "export-size"
EXPORT_SCALE = "export-scale"
EXPORT_TITLE = "export-title"
EXPORT_INCLUDE = "export-include"
EXPORT_MARKING = "export-marking"
EXPORT_CONFIRM = "export-confirm"
EXPORT_DOWNLOAD = "export-download"
EXPORT_STATUS = "export-status"
EXPORT_SUBTITLE = "export-subtitle"
EXPORT_NOTES = "export-notes"
EXPORT_EXTENT = "export-extent"
EXPORT_OPTIONS = "export-options"  # labels on/off, PowerPoint map as shapes
EXPORT_WHAT = "export-what"  # this page | a briefing pack
EXPORT_PREVIEW = "export-preview"
EXPORT_PROGRESS = "export-progress"  # the briefing pack's progress bar
EXPORT_QUEUE = "export-queue"  # an export's place in the host's export queue
PANEL_BRIEF = "panel-brief"
LANG_LINK_FR = "lang-link-fr"
LANG_LINK_EN = "lang-link-en"
FILTERS = "filters"
FILTERS_TOGGLE = "filters-toggle"
FILTERS_CLOSE = "filters-close"
COUNTRY_LIST = "country-list"
DATA_UPLOAD = "data-upload"
DATA_UPDATE_STATUS = "data-update-status"
DATA_CONFIRM_SHRINK = "data-confirm-shrink"


def export_table_button(format_id: str) -> str:
    """Id of the dialog's download button of a table format, e.g. ``export-csv``."""
    return f"export-{format_id}"
