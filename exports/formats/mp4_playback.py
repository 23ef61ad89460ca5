"""MP4: the playback as a video (the GIF's frames, :mod:`exports.formats.gif_playback`,
encoded in H.264 by Debian's ``ffmpeg``, 0.7 s a frame), and the frames' encoder shared with
the PowerPoint slide that plays it (:mod:`exports.formats.pptx_playback`)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from exports.formats.base import ExportFormat, ExportOptions, Kind
from exports.formats.gif_playback import FRAME_SECONDS, frame_images
from exports.mapdraw import ExportError
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

ENCODE_TIMEOUT_S = 120


def encode_mp4(images) -> bytes:
    """``images`` (Pillow, same size) as an H.264 MP4; raises :class:`ExportError` when no
    ``ffmpeg`` is installed or it fails."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise ExportError("the MP4 export needs ffmpeg (Debian package ffmpeg)")
    with tempfile.TemporaryDirectory(prefix="atlas-mp4-") as folder:
        for number, image in enumerate(images):
            image.save(Path(folder) / f"frame-{number:04d}.png")
        out = Path(folder) / "playback.mp4"
        command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                   "-framerate", f"{1 / FRAME_SECONDS:.4f}",
                   "-i", str(Path(folder) / "frame-%04d.png"),
                   "-c:v", "libx264", "-pix_fmt", "yuv420p", "-r", "25",
                   "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-movflags", "+faststart",
                   str(out)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=ENCODE_TIMEOUT_S)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise ExportError(f"ffmpeg could not encode the playback: {error}") from None
        return out.read_bytes()


def write_mp4(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The playback of ``view`` as an MP4 video."""
    return encode_mp4(list(frame_images(data, view, options)))


FORMAT = ExportFormat(id="mp4", mime_type="video/mp4", extension="mp4", kind=Kind.SNAPSHOT,
                      label_key="export.format.mp4", write=write_mp4)
