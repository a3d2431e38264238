"""``validator rules [RULE]``: every rule of the rule book, or one explained.

Everything shown comes from :mod:`validator.rulebook` (id, default severity, family,
title, help, example, docs anchor). How to waive the rule is shown only for rules an
entry can waive; every rule can be switched off for a run or a repository.
"""

from __future__ import annotations

import difflib
import json
import textwrap

import click

from validator.cli import main
from validator.cli.exits import fail
from validator.cli.verbosity import quiet, verbose
from validator.rulebook import RULES, RuleInfo


def _explain(info: RuleInfo) -> str:
    example = textwrap.indent(info.example, "    ")
    return f"""{info.id} ({info.severity.label}, {info.family})

{info.summary}

{textwrap.fill(info.help_text, 88)}

Example that triggers it:

{example}

{_silencing(info)}
Documented in {info.docs_anchor}.
"""


def _silencing(info: RuleInfo) -> str:
    waive = (
        f"""Waive it for one entry, with the reason the entry is right anyway:

    waivers:
      - rule: {info.id}
        reason: <why this entry is right anyway, for the next reader>

"""
        if info.waivable
        else "An entry cannot waive it (fix the cause instead).\n\n"
    )
    return f"""{waive}Switch it off for a run (`validator validate --ignore {info.id}`) or for the
repository:

    [tool.validator]
    ignore = ["{info.id}"]
"""


def _summary(info: RuleInfo) -> str:
    return f"{info.id} ({info.severity.label}, {info.family}): {info.summary}"


def _table(*, with_help: bool = False) -> str:
    width = max(len(rule) for rule in RULES)
    lines = [f"{'rule':<{width}}  {'severity':<8}  {'family':<7}  title"]
    for info in RULES.values():
        lines.append(
            f"{info.id:<{width}}  {info.severity.label:<8}  {info.family:<7}  {info.summary}"
        )
        if with_help:
            lines.append(
                textwrap.indent(
                    textwrap.fill(info.help_text, max(40, 86 - width)), " " * (width + 2)
                )
            )
    return "\n".join(lines) + f"\n\n{len(RULES)} rules; `validator rules RULE` explains one.\n"


def _as_dict(info: RuleInfo) -> dict[str, str | bool]:
    return {
        "id": info.id,
        "severity": info.severity.label,
        "family": info.family,
        "title": info.summary,
        "help": info.help_text,
        "example": info.example,
        "waivable": info.waivable,
        "docs": info.docs_anchor,
    }


@main.command("rules")
@click.argument("rule", required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Text for people, JSON for scripts.",
)
def rules_command(rule: str | None, output_format: str) -> None:
    """List every rule id with its default severity, or explain RULE with an example.

    -q lists only the ids (one a line), or gives RULE's one-line summary; -v adds each
    rule's help to the list. JSON is the same either way.
    """
    if rule is None:
        if output_format == "json":
            click.echo(json.dumps([_as_dict(i) for i in RULES.values()], indent=2))
        elif quiet():
            click.echo("\n".join(RULES))
        else:
            click.echo(_table(with_help=verbose()), nl=False)
        return
    info = RULES.get(rule)
    if info is None:
        close = difflib.get_close_matches(rule, sorted(RULES), n=1, cutoff=0.5)
        hint = f" (did you mean '{close[0]}'?)" if close else "; `validator rules` lists them"
        fail(f"no rule {rule!r}{hint}")
    if output_format == "json":
        click.echo(json.dumps(_as_dict(info), indent=2))
    else:
        click.echo(_summary(info) if quiet() else _explain(info))


__all__ = ["rules_command"]
