"""PowerPoint playback: one 16:9 slide holding the playback's MP4
(:mod:`exports.formats.mp4_playback`), its last frame as the poster shown before it plays,
and the view's title in the speaker notes."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.util import Emu, Inches

from exports import describe
from exports.formats.base import ExportFormat, ExportOptions, Kind
from exports.formats.gif_playback import frame_images
from exports.formats.mp4_playback import encode_mp4
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

SLIDE_INCHES = (13.333, 7.5)


def write_pptx_playback(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """A slide playing the playback of ``view``."""
    images = list(frame_images(data, view, options))
    video = encode_mp4(images)
    poster = io.BytesIO()
    images[-1].save(poster, format="PNG")
    poster.seek(0)
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = (Inches(v) for v in SLIDE_INCHES)
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])  # blank
    width = presentation.slide_width
    height = Emu(int(width * images[0].height / images[0].width))
    top = Emu(max(0, (presentation.slide_height - height) // 2))
    slide.shapes.add_movie(io.BytesIO(video), 0, top, width, height,
                           poster_frame_image=poster, mime_type="video/mp4")
    title = describe.clean_text(options.title) or describe.default_title(data, view)
    slide.notes_slide.notes_text_frame.text = title
    presentation.core_properties.title = title
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


FORMAT = ExportFormat(
    id="pptx_video", extension="pptx", kind=Kind.SNAPSHOT, stem_suffix="-video",
    mime_type="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    label_key="export.format.pptx_playback", write=write_pptx_playback)
