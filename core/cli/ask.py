"""nianbao ask: answer a question about the stored reports, with sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from core.cli.common import DbOption, JsonOption, db_url, open_cli_db, print_json, run

if TYPE_CHECKING:
    from core.qa.answer import Answer


async def _ask(url: str, question: str, choice: str | None, lang: str | None) -> Answer:
    from core.qa.answer import answer

    async with open_cli_db(url) as sf:
        return await answer(sf, question, choice=choice, lang=lang)


def _render(reply: Answer) -> str:
    lines = [reply.text]
    if reply.clarify:
        lines += [f"  [{i}] {o.label}  (--choice {o.choice})" for i, o in enumerate(reply.clarify, 1)]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command("ask")
    def ask(
        question: Annotated[str, typer.Argument(help="The question, in Chinese or English.")],
        json_: JsonOption = False,
        choice: Annotated[
            str | None,
            typer.Option("--choice", help="An option from an earlier clarification, e.g. agency:12."),
        ] = None,
        lang: Annotated[
            str | None, typer.Option("--lang", help="Answer language: zh or en (default: the question's).")
        ] = None,
        db: DbOption = None,
    ) -> None:
        """Answer a question: 定海区收到多少申请, "top 3 by 行政处罚", 有哪些单位 …"""
        reply = run(_ask(db_url(db), question, choice, lang))
        if json_:
            print_json(reply.to_json())
        else:
            typer.echo(_render(reply))
