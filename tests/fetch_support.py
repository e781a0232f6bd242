"""A local HTTP server on 127.0.0.1 serving report pages and files, for the link tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

from aiohttp import web
from builders import build_pdf, consistent_values
from office_builders import DATA
from text_builders import build_html

REPORT_VALUES = consistent_values("2021", seed=51)
PDF_VALUES = consistent_values("2019", seed=52)


def routes() -> web.RouteTableDef:
    r = web.RouteTableDef()
    page = build_html(REPORT_VALUES, "2021", agency="测试市民政局")
    pdf = build_pdf(PDF_VALUES, "2019", agency="测试县财政局")

    @r.get("/gb2312.html")
    async def gb2312(_: web.Request) -> web.Response:
        return web.Response(body=page.encode("gb18030"), headers={"Content-Type": "text/html; charset=GB2312"})

    @r.get("/meta-gbk.html")
    async def meta_gbk(_: web.Request) -> web.Response:
        body = page.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=gbk">')
        return web.Response(body=body.encode("gbk"), headers={"Content-Type": "text/html"})

    @r.get("/article.html")
    async def article(_: web.Request) -> web.Response:
        html = (
            "<html><head><title>测试县财政局2020年政府信息公开工作年度报告</title></head><body>"
            "<p>发布日期：2021-01-20</p><p>附件：</p>"
            '<a href="/files/other.doc">办事指南.doc</a>'
            f'<a href="/files/{quote("测试县财政局2020年政府信息公开工作年度报告.pdf")}">测试县财政局2020年政府信息公开工作年度报告.pdf</a>'
            "</body></html>"
        )
        return web.Response(text=html, content_type="text/html", charset="utf-8")

    @r.get("/files/{name}")
    async def files(request: web.Request) -> web.Response:
        if request.match_info["name"].endswith(".pdf"):
            return web.Response(body=pdf, content_type="application/pdf")
        return web.Response(status=404)

    @r.get("/download")
    async def download(_: web.Request) -> web.Response:
        name = quote("年度报告.wps")
        return web.Response(
            body=(DATA / "report-2021-split.wps").read_bytes(),
            headers={"Content-Type": "application/octet-stream", "Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
        )

    @r.get("/moved")
    async def moved(_: web.Request) -> web.Response:
        raise web.HTTPFound("/gb2312.html")

    @r.get("/loop")
    async def loop(_: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    @r.get("/to")
    async def to(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["u"])

    @r.get("/big.html")
    async def big(_: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(_)
        for _i in range(64):
            await response.write(b"<p>" + b"x" * 16 * 1024 + b"</p>")
        return response

    @r.get("/slow.html")
    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.Response(text="<html></html>", content_type="text/html")

    @r.get("/missing.html")
    async def missing(_: web.Request) -> web.Response:
        return web.Response(status=404, text="not found")

    return r


@asynccontextmanager
async def serve() -> AsyncIterator[str]:
    """The server's base address, http://127.0.0.1:PORT."""
    app = web.Application()
    app.add_routes(routes())
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
