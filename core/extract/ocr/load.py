"""Image files and image-only PDF pages → decoded pixels, refusing hostile ones before they cost anything.

The dimensions are read from the file's header and checked before any pixel is decoded: a few kilobytes
of PNG can declare a 100,000 × 100,000 image (a decompression bomb). A truncated file fails as a clear
message, not as half a page read. Multi-page TIFFs (fax-style scans) give one image per page.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from core.model import ReportError

MAX_PIXELS = 50_000_000  # a 300 dpi A3 scan is 17 MP; a 200 MP phone photo is refused
MAX_SIDE = 20_000
RENDER_DPI = 200


def _check_size(width: int, height: int, what: str) -> None:
    if width < 32 or height < 32:
        raise ReportError(f"{what}太小（{width}×{height} 像素），无法识别其中的文字。")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise ReportError(
            f"{what}尺寸过大（{width}×{height} 像素），超过上限 {MAX_PIXELS // 1_000_000} 百万像素，疑似恶意文件，拒绝读取。"
        )


def image_frames(data: bytes, name: str, max_pages: int) -> Iterator[np.ndarray]:
    """The frames of an image file as BGR arrays, upright by their EXIF orientation (phones store photos
    sideways and say so there)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            frames = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ReportError(f"图片文件（{name}）已损坏或格式无法识别，无法读取。") from exc
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ReportError(f"图片（{name}）尺寸过大，疑似恶意文件，拒绝读取。") from exc
    if frames > max_pages:
        raise ReportError(f"图片页数过多（{frames} 页），超过上限 {max_pages} 页。")
    for index in range(frames):
        image.seek(index)
        _check_size(image.width, image.height, "图片")
        try:
            image.load()
            upright = ImageOps.exif_transpose(image.convert("RGB"))
        except (OSError, SyntaxError, ValueError) as exc:  # "image file is truncated", broken chunks
            raise ReportError(f"图片文件（{name}）不完整或已损坏（可能未完整上传），无法读取，请重新发送。") from exc
        yield np.ascontiguousarray(np.asarray(upright)[:, :, ::-1])


def render_pdf_page(page: object, number: int) -> np.ndarray:
    """An open ``pypdfium2.PdfPage`` (page ``number``, for messages) at 200 dpi, as BGR."""
    import pypdfium2 as pdfium

    assert isinstance(page, pdfium.PdfPage)
    width, height = page.get_size()  # points
    scale = RENDER_DPI / 72
    _check_size(round(width * scale), round(height * scale), f"PDF 第 {number} 页")
    rgb = page.render(scale=scale, grayscale=False).to_numpy()
    return np.ascontiguousarray(rgb[:, :, :3] if rgb.ndim == 3 else np.dstack([rgb] * 3))
