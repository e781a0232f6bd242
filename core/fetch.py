"""A report link → the bytes of the report it points to, fetched safely.

A user pastes the address of a report page. That page is either the report itself (HTML, in whatever
charset the site uses: GB2312, GBK and GB18030 are common) or an article linking to the report as an
attachment (.pdf, .doc, .docx, .wps, .xlsx); the attachment is then fetched too.

Every request goes only to public addresses: each hop of a redirect is checked, and host names are
checked on the addresses they resolve to, by the resolver the connection then uses (a name cannot
resolve to a public address for the check and a private one for the connection). Loopback, private,
link-local and other special addresses are refused unless ``FETCH_ALLOW_PRIVATE`` is set. Each response
is read up to ``MAX_FILE_MB``, the whole fetch within ``FETCH_TIMEOUT_S``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from bs4 import BeautifulSoup

from core.extract import decode_text
from core.model import ReportError
from core.settings import Settings, get_settings

Progress = Callable[[str], Awaitable[None]]
_URL = re.compile(r"https?://[^\s<>\"'，。；、）)】」]+", re.IGNORECASE)
_MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_ATTACHMENTS = (".pdf", ".docx", ".doc", ".wps", ".xlsx")
_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/kswps": ".wps",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
}
# Table text that tells a report page from an article page that only links to the report.
_REPORT_MARKERS = ("本年新收", "申请人情况", "第二十条", "行政复议", "予以公开")
_GB = ("gb2312", "gbk", "x-gbk", "gb_2312-80", "csgb2312", "gb18030")
_HEADERS = {
    "User-Agent": "Mozilla/5.0 (compatible; nianbao/0.1; +annual-report reader)",
    "Accept": "text/html,application/pdf,application/msword,*/*;q=0.8",
}


@dataclass
class Fetched:
    url: str  # where the report was finally read from
    data: bytes  # HTML re-encoded as UTF-8; files as served
    filename: str  # with the extension its content type or address gives


def find_url(text: str) -> str | None:
    """The first web address in a message."""
    m = _URL.search(text or "")
    return m.group().rstrip(".,;:!?") if m else None


def is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", text.strip(), re.IGNORECASE))


def refused_address(address: str, settings: Settings) -> bool:
    """True for an address a fetch must not reach: anything but a public unicast address."""
    if settings.fetch_allow_private:
        return False
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


class _CheckedResolver(AbstractResolver):
    """Resolves a host name and refuses it when any of its addresses is not public."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.inner = DefaultResolver()

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        found = await self.inner.resolve(host, port, family)
        bad = [r["host"] for r in found if refused_address(r["host"], self.settings)]
        if bad:
            raise _Refused(host, bad[0])
        return found

    async def close(self) -> None:
        await self.inner.close()


class _Refused(OSError):
    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} → {address}")
        self.host, self.address = host, address


def _check_url(url: str, settings: Settings) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ReportError(f"只能读取 http 或 https 网址：{url[:100]}")
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return  # a name: the resolver checks what it resolves to
    if refused_address(str(literal), settings):
        raise ReportError(f"拒绝访问内网或本机地址（{parts.hostname}），只能读取公网上的报告网址。")


async def fetch_report(url: str, settings: Settings | None = None, progress: Progress | None = None) -> Fetched:
    """The report at ``url`` (or the attachment its page links to). Raises ReportError with a one-line
    Chinese message for anything that cannot be fetched."""
    settings = settings or get_settings()
    timeout = aiohttp.ClientTimeout(total=settings.fetch_timeout_s)
    connector = aiohttp.TCPConnector(resolver=_CheckedResolver(settings), limit=2)
    try:
        async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, headers=_HEADERS, trust_env=False
        ) as session:
            async with asyncio.timeout(settings.fetch_timeout_s):
                page = await _get(session, url, settings)
                if page.filename.endswith(".html"):
                    attachment = _attachment(page)
                    if attachment is not None:
                        if progress is not None:
                            await progress(attachment)
                        return await _get(session, attachment, settings)
                return page
    except TimeoutError as exc:
        raise ReportError(f"读取网址超时（超过 {settings.fetch_timeout_s:g} 秒），请稍后再试或下载后上传文件。") from exc
    except _Refused as exc:
        raise ReportError(f"拒绝访问内网或本机地址（{exc.host} 解析为 {exc.address}），只能读取公网上的报告网址。") from exc
    except aiohttp.ClientConnectorError as exc:
        if isinstance(exc.os_error, _Refused):
            refused = exc.os_error
            raise ReportError(
                f"拒绝访问内网或本机地址（{refused.host} 解析为 {refused.address}），只能读取公网上的报告网址。"
            ) from exc
        raise ReportError(f"无法连接到 {urlsplit(url).hostname}：{_reason(exc)}") from exc
    except aiohttp.ClientError as exc:
        raise ReportError(f"读取网址失败：{_reason(exc)}") from exc


def _reason(exc: BaseException) -> str:
    cause = exc.os_error if isinstance(exc, aiohttp.ClientConnectorError) else exc
    if isinstance(cause, _Refused):
        return f"拒绝访问内网或本机地址（{cause.address}）"
    return " ".join(f"{type(cause).__name__}: {cause}".split())[:150]


async def _get(session: aiohttp.ClientSession, url: str, settings: Settings) -> Fetched:
    limit = int(settings.max_file_mb * 1024 * 1024)
    for _ in range(_MAX_REDIRECTS + 1):
        _check_url(url, settings)
        async with session.get(url, allow_redirects=False) as response:
            if response.status in (301, 302, 303, 307, 308) and "Location" in response.headers:
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status >= 400:
                raise ReportError(f"网址返回错误 {response.status}（{response.reason or ''}），无法读取报告。")
            declared = response.content_length
            if declared is not None and declared > limit:
                raise ReportError(_too_large(declared, settings))
            body = bytearray()
            async for chunk in response.content.iter_chunked(_CHUNK):
                body += chunk
                if len(body) > limit:
                    raise ReportError(_too_large(None, settings))
            return _fetched(str(response.url), bytes(body), response.headers)
    raise ReportError(f"网址重定向次数过多（超过 {_MAX_REDIRECTS} 次），无法读取报告。")


def _too_large(size: int | None, settings: Settings) -> str:
    what = f"（{size / 1024 / 1024:.1f} MB）" if size is not None else ""
    return f"网页或文件过大{what}，超过上限 {settings.max_file_mb:g} MB。"


def _fetched(url: str, body: bytes, headers: Mapping[str, str]) -> Fetched:
    message = Message()
    message["Content-Type"] = headers.get("Content-Type") or "application/octet-stream"
    kind = message.get_content_type()
    name = _filename(url, headers.get("Content-Disposition", ""))
    ext = PurePosixPath(name).suffix.lower()
    sniffed_html = kind in ("text/html", "application/xhtml+xml") or (
        ext in ("", ".htm", ".html", ".shtml", ".jsp", ".asp", ".aspx", ".php") and b"<html" in body[:4096].lower()
    )
    if sniffed_html:
        text = _decode_html(body, message.get_param("charset"))
        return Fetched(url, text.encode("utf-8"), PurePosixPath(name).stem + ".html")
    if ext not in _ATTACHMENTS + (".txt", ".mht", ".mhtml", ".htm", ".html"):
        ext = _TYPES.get(kind, ext or ".bin")
        name = PurePosixPath(name).stem + ext
    return Fetched(url, body, name)


def _filename(url: str, disposition: str) -> str:
    if disposition:
        message = Message()
        message["Content-Disposition"] = disposition
        name = message.get_filename()
        if name:
            return PurePosixPath(name.replace("\\", "/")).name or "report"
    path = unquote(urlsplit(url).path)
    return PurePosixPath(path).name or "report"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def _decode_html(body: bytes, declared: str | None) -> str:
    """The page's text: the charset the server declares, else the one the page declares, else sniffed.
    GB2312 and GBK are read as GB18030, their superset (pages labelled gb2312 use GBK characters)."""
    meta = _META_CHARSET.search(body[:4096])
    for charset in (declared, meta.group(1).decode("ascii") if meta else None):
        if not charset:
            continue
        charset = charset.lower().strip()
        if charset in _GB:
            charset = "gb18030"
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    text = decode_text(body)
    if text is None:
        raise ReportError("网页内容无法解码（不是可识别编码的文本）。")
    return text


def _attachment(page: Fetched) -> str | None:
    """The report file an article page links to, when the page itself does not print the tables."""
    html = page.data.decode("utf-8", errors="replace")
    soup = BeautifulSoup(html, "lxml")
    tables = " ".join(t.get_text(" ", strip=True) for t in soup.find_all("table"))
    if sum(marker in tables for marker in _REPORT_MARKERS) >= 2:
        return None
    best: tuple[int, str] | None = None
    for a in soup.find_all("a", href=True):
        href = str(a["href"]).strip()
        target = urljoin(page.url, href)
        path = unquote(urlsplit(target).path).lower()
        ext = PurePosixPath(path).suffix
        text = a.get_text(" ", strip=True)
        if ext not in _ATTACHMENTS and not any(text.lower().endswith(e) for e in _ATTACHMENTS):
            continue
        score = (2 if "报告" in text + path or "年报" in text else 0) + (1 if "信息公开" in text + path else 0)
        if urlsplit(target).scheme not in ("http", "https"):
            continue
        if best is None or score > best[0]:
            best = (score, target)
    return best[1] if best else None
