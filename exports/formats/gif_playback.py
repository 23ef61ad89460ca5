"""GIF: the playback as an animated image, one frame per year from the first programme year
to the last (:mod:`viewmodel.playback`), each the snapshot page of that day at half size
(its year in the title, the year's budget under it, as on screen), the programmes classes
shared by every frame, one palette for all."""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image

from exports import describe
from exports.formats.base import ExportFormat, ExportOptions, Kind
from exports.formats.png_image import png_bytes
from exports.page import render_page
from viewmodel.asof import dated
from viewmodel.data import AtlasData
from viewmodel.filters import chosen_values, filter_state
from viewmodel.playback import playback_frames
from viewmodel.urlstate import ViewState

#: How long a frame stays, and the frames' width in pixels (half a 16:9 page).
FRAME_SECONDS = 0.7
WIDTH = 960


def frame_views(data: AtlasData, view: ViewState, step: str = "year"):
    """``(label, data, view, budget)`` of every playback frame: its date in words, the data
    carrying the classes shared by all frames, the view on that day and the year's budget
    in words ("Budget 2019 : 3,4 M€", each programme's budget spread over its years)."""
    frames = playback_frames(data, replace(view, filters=filter_state(
        {**chosen_values(view.filters), "asof": ()})), step)
    breaks = (frames["lows"], frames["highs"]) if view.mode == "programmes" else None
    for frame in frames["frames"]:
        on = replace(view, filters=filter_state({**chosen_values(view.filters),
                                                 "asof": (frame["day"],)}))
        yield (frame["label"], replace(dated(data, on), class_breaks=breaks), on,
               frame["budget_year"])


def frame_images(data: AtlasData, view: ViewState, options: ExportOptions):
    """Every frame as a Pillow image, ``WIDTH`` pixels wide, its date in the title and the
    year's budget in the subtitle (after the user's)."""
    for label, frame_data, on, budget in frame_views(data, view):
        title = f"{describe.clean_text(options.title) or describe.default_title(frame_data, on)}"
        subtitle = describe.clean_text(options.subtitle)
        page_options = replace(options, title=f"{title} — {label}",
                               subtitle=f"{subtitle} · {budget}" if subtitle else budget)
        image = Image.open(io.BytesIO(render_page(frame_data, on, page_options, png_bytes)))
        height = round(image.height * WIDTH / image.width)
        yield image.convert("RGB").resize((WIDTH, height), Image.LANCZOS)


def write_gif(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The playback of ``view`` as an animated GIF (looping)."""
    # One palette for every frame (the last one's, the richest), no dither: flat colours stay.
    frames = list(frame_images(data, view, options))
    palette = frames[-1].quantize(colors=255, method=Image.Quantize.FASTOCTREE)
    images = [frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in frames]
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:],
                   duration=int(FRAME_SECONDS * 1000), loop=0, optimize=False)
    return out.getvalue()


FORMAT = ExportFormat(id="gif", mime_type="image/gif", extension="gif", kind=Kind.SNAPSHOT,
                      label_key="export.format.gif", write=write_gif)
