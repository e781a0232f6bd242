"""Report links fetched from a local HTTP server: charsets, redirects, attachments, size and time limits,
and addresses that must not be reached."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

import pytest
from fetch_support import PDF_VALUES, REPORT_VALUES, serve
from text_builders import printed_keys

import core.fetch
from core.extract import extract
from core.fetch import fetch_report, find_url, refused_address
from core.model import ReportError
from core.parse import parse_document
from core.settings import Settings

LOCAL = Settings(fetch_allow_private=True, fetch_timeout_s=10)


@pytest.fixture
async def site() -> AsyncIterator[str]:
    async with serve() as base:
        yield base


def read(fetched) -> object:
    return parse_document(extract(fetched.data, fetched.filename))


@pytest.mark.parametrize("path", ["/gb2312.html", "/meta-gbk.html", "/moved"])
async def test_html_reports_in_gb_charsets_and_through_a_redirect(site, path):
    fetched = await fetch_report(site + path, LOCAL)
    assert fetched.filename.endswith(".html")
    assert fetched.url == site + ("/gb2312.html" if path == "/moved" else path)
    report = read(fetched)
    assert report.agency == "测试市民政局"
    assert {k: report.value(k) for k in printed_keys("2021")} == {k: REPORT_VALUES[k] for k in printed_keys("2021")}


async def test_an_article_page_leads_to_the_report_it_attaches(site):
    seen = []

    async def progress(url: str) -> None:
        seen.append(url)

    fetched = await fetch_report(site + "/article.html", LOCAL, progress)
    assert fetched.filename == "测试县财政局2020年政府信息公开工作年度报告.pdf"
    assert seen == [fetched.url] and "/files/" in fetched.url
    report = read(fetched)
    assert report.agency == "测试县财政局" and report.year == 2020
    assert report.value("apply.new.total") == PDF_VALUES["apply.new.total"]


async def test_a_download_keeps_the_name_the_server_gives(site):
    fetched = await fetch_report(site + "/download", LOCAL)
    assert fetched.filename == "年度报告.wps"
    assert read(fetched).template == "2021"


async def test_a_too_large_page_is_refused(site):
    with pytest.raises(ReportError, match="过大"):
        await fetch_report(site + "/big.html", Settings(fetch_allow_private=True, max_file_mb=0.5))


async def test_a_slow_page_times_out(site):
    with pytest.raises(ReportError, match="超时"):
        await fetch_report(site + "/slow.html", Settings(fetch_allow_private=True, fetch_timeout_s=0.5))


async def test_errors_and_endless_redirects_are_one_line_messages(site):
    with pytest.raises(ReportError, match="404"):
        await fetch_report(site + "/missing.html", LOCAL)
    with pytest.raises(ReportError, match="重定向次数过多"):
        await fetch_report(site + "/loop", LOCAL)
    with pytest.raises(ReportError, match="http 或 https"):
        await fetch_report("ftp://example.org/report.pdf", LOCAL)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/r.html", "http://10.1.2.3/r.html", "http://192.168.0.1/", "http://169.254.169.254/latest",
     "http://[::1]/r.html", "http://[::ffff:10.0.0.1]/", "http://0.0.0.0/", "http://localhost:9/r.html"],
)
async def test_private_loopback_and_link_local_addresses_are_refused_without_a_request(url):
    with pytest.raises(ReportError, match="拒绝访问内网或本机地址"):
        await fetch_report(url, Settings(fetch_allow_private=False, fetch_timeout_s=5))


async def test_every_redirect_hop_is_checked(site, monkeypatch):
    # Only the test server's own address passes, as a public one would: the hops it redirects to are refused.
    monkeypatch.setattr(core.fetch, "refused_address", lambda address, settings: address != "127.0.0.1")
    assert (await fetch_report(site + "/moved", Settings())).filename.endswith(".html")
    for target in ("http://10.0.0.7/r.html", "http://[::1]/r.html", "http://169.254.169.254/x"):
        with pytest.raises(ReportError, match="拒绝访问内网或本机地址"):
            await fetch_report(f"{site}/to?u={quote(target)}", Settings())


def test_address_policy_and_finding_links_in_a_message():
    strict = Settings(fetch_allow_private=False)
    assert not refused_address("8.8.8.8", strict) and not refused_address("2001:4860::8888", strict)
    assert all(refused_address(a, strict) for a in ("127.0.0.1", "10.0.0.1", "172.16.5.4", "fe80::1", "100.64.0.1", "224.0.0.1"))
    assert not refused_address("10.0.0.1", Settings(fetch_allow_private=True))
    assert find_url("请看 https://www.example.gov.cn/art/2021/1/20/art_1.html，谢谢") == "https://www.example.gov.cn/art/2021/1/20/art_1.html"
    assert find_url("定海区收到多少申请") is None


@pytest.fixture
def allow_local(monkeypatch):
    from core.settings import get_settings

    monkeypatch.setenv("FETCH_ALLOW_PRIVATE", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_nianbao_parse_and_ingest_take_a_web_address(tmp_path, allow_local):
    import asyncio
    import json
    import threading

    from typer.testing import CliRunner

    from core.cli import app

    ready, stop = threading.Event(), threading.Event()
    base: list[str] = []

    def server() -> None:
        async def main() -> None:
            async with serve() as url:
                base.append(url)
                ready.set()
                while not stop.is_set():
                    await asyncio.sleep(0.05)

        asyncio.run(main())

    thread = threading.Thread(target=server, daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        runner = CliRunner()
        result = runner.invoke(app, ["parse", base[0] + "/gb2312.html", "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["agency"] == "测试市民政局" and data["values"]["apply.new.total"] == REPORT_VALUES["apply.new.total"]
        db = f"sqlite:///{tmp_path / 'n.db'}"
        result = runner.invoke(app, ["ingest", base[0] + "/article.html", base[0] + "/missing.html", "--db", db, "--json"])
        assert result.exit_code == 1  # one address failed: listed, the other stored
        rows = json.loads(result.stdout)
        assert [r["status"] for r in rows] == ["stored", "failed"]
        assert rows[0]["agency"] == "测试县财政局" and "404" in rows[1]["error"]
    finally:
        stop.set()
        thread.join(10)
