"""Reports of one agency over two years, stored through the real parser, for the draft, the check before
publishing and the comparison; and a draft filled in the way a clerk fills the official template."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

import docx
from builders import build_docx, consistent_values, fill_template_2021
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.documents.draft import NOTE_MARK
from core.storage.ingest import ingest_bytes
from core.templates.national import APPLICANT_COLUMNS

AGENCY = "舟山市定海区卫生健康局"
PROBLEMS_2020 = (
    "一是政务公开工作人员业务水平有待提高，对政府信息公开条例的理解还不够深入。"
    "二是部分栏目信息更新不够及时，主动公开的广度和深度仍需加强。"
    "下一步，我局将加强业务培训，完善信息发布审核机制，定期检查栏目更新情况，确保信息及时准确公开。"
)
OTHER_2020 = "本年度未收取信息处理费。我局将继续做好政府信息公开工作。"


async def store_2020(sf: async_sessionmaker[AsyncSession], *, seed: int = 1) -> dict[str, int | float | str]:
    """The agency's 2020 report (2019 format), ingested from a generated .docx; its figures."""
    values = consistent_values("2019", seed=seed)
    data = build_docx(
        values, "2019", agency=AGENCY, year=2020, published_on=date(2021, 1, 20), prose={"五": PROBLEMS_2020, "六": OTHER_2020}
    )
    result = await ingest_bytes(sf, data, "2020.docx")
    assert result.status == "stored", result.error
    return values


def values_2021(previous: Mapping[str, int | float | str], *, seed: int = 2) -> dict[str, int | float | str]:
    """Consistent 2021 figures whose 上年结转 is last year's 结转下年度 (new requests adjusted so that
    table 三 still balances)."""
    values = consistent_values("2021", seed=seed)
    for column in APPLICANT_COLUMNS:
        carried = int(previous[f"apply.carried_forward.{column.key}"])
        values[f"apply.new.{column.key}"] = int(values[f"apply.new.{column.key}"]) + int(values[f"apply.carried_over.{column.key}"]) - carried
        values[f"apply.carried_over.{column.key}"] = carried
        assert values[f"apply.new.{column.key}"] >= 0
    return values


def fill_draft(
    draft: bytes,
    values: Mapping[str, int | float | str],
    *,
    keep_notes: bool = False,
    title: str | None = None,
    **kwargs: object,
) -> bytes:
    """The draft with every figure and the prose filled in; its notes deleted unless ``keep_notes``;
    its title replaced by ``title``."""
    filled = fill_template_2021(values, agency=AGENCY, base=draft, **kwargs)  # type: ignore[arg-type]
    document = docx.Document(io.BytesIO(filled))
    if title:
        heading = document.paragraphs[0]
        heading.runs[0].text = title
        for run in heading.runs[1:]:
            run.text = ""
    for p in document.paragraphs:
        if not keep_notes and p.text.startswith((NOTE_MARK, "「")):
            p._p.getparent().remove(p._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
