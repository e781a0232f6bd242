"""Photos of a report's tables, sent together, stored as one report.

Several photos (a Telegram album) become one image-only PDF, a page per photo, read like a scanned
report. A photo of a table rarely shows the report's title, so the agency and year can come from the
caption ("定海区 2023年"); a title the pages print wins over the caption.
"""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.limits import Listener
from core.model import ParsedReport, ReportError
from core.storage.ingest import IngestResult, duplicate_of, parse_bytes, sha256_of, store_report

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?度?")
_NOISE = re.compile(r"政府信息公开|工作|年度报告|年报|报告|表[二三四]|[，,。;；:：\s]+")
_NEEDS_NAME = "请在照片说明中写明单位和年度（例如“定海区 2023年”）后重新发送。"


def bundle(images: list[bytes]) -> bytes:
    """One image as it is; several as an image-only PDF, one page each, in the order sent."""
    if len(images) == 1:
        return images[0]
    pages = []
    for data in images:
        try:
            pages.append(Image.open(io.BytesIO(data)).convert("RGB"))
        except (OSError, ValueError) as exc:
            raise ReportError("相册中有一张图片已损坏或格式无法识别，请重新发送。") from exc
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=200.0, quality=95)
    return out.getvalue()


def apply_caption(report: ParsedReport, caption: str | None) -> None:
    """The agency and year from the caption ("定海区 2023年"). A printed title wins over the caption; without
    one (a photo of a page from the middle of the report) the parser's agency and year are guesses from
    the page's other lines (an organisation-like label, a date), and the caption, written by the user for
    this, wins over them unless it names the same agency more briefly."""
    if not caption:
        return
    titled = report.title is not None
    year = _YEAR.search(caption)
    if year and (report.year is None or not titled):
        report.year = int(year[1])
    name = _NOISE.sub("", _YEAR.sub("", caption))
    if len(name) < 2 or (report.agency and (titled or name in report.agency)):
        return
    report.agency = report.short_name = name
    report.region = None  # it was read from the guessed agency


async def ingest_photos(
    sf: async_sessionmaker[AsyncSession],
    images: list[bytes],
    caption: str | None = None,
    *,
    uploaded_by: int | None = None,
    chat_id: int | None = None,
    on_progress: Listener | None = None,
) -> IngestResult:
    """Read and store the photos of one report (one photo, or an album)."""
    name = "照片.jpg" if len(images) == 1 else f"照片{len(images)}张.pdf"
    try:
        data = bundle(images)
    except ReportError as exc:
        return IngestResult("failed", name, "", error=str(exc))
    digest = sha256_of(data)
    if duplicate := await duplicate_of(sf, digest, name):
        return duplicate
    parsed = await parse_bytes(data, name, digest, on_progress)
    if isinstance(parsed, IngestResult):
        return parsed
    apply_caption(parsed, caption)
    if parsed.agency is None or parsed.year is None:
        missing = "和".join(w for w, v in (("单位", parsed.agency), ("年度", parsed.year)) if v is None)
        return IngestResult("failed", name, digest, report=parsed, error=f"照片中没有印出报告的{missing}，{_NEEDS_NAME}")
    return await store_report(sf, parsed, sha256=digest, filename=name, uploaded_by=uploaded_by, chat_id=chat_id)
