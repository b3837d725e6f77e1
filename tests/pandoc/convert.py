"""The real pandoc (pypandoc-binary, a dev dependency) turning corpus wikitext into Markdown.

Two ways, as users get Markdown copies of zh.wikipedia articles:
- ``raw``: the wikitext as it is, in pandoc's Markdown flavours; pandoc keeps templates as raw
  MediaWiki (```{=mediawiki}``), so every record must come out the same as from the wikitext.
- ``rendered``: the templates first replaced by the text a reader of the page sees (a flag by a
  link to its country, {{link-en|中文|English}} by [[中文]], notes by <ref>), then every table
  form pandoc writes (grid, pipe, simple, multiline, HTML, GitHub); each must give the records
  the rendered wikitext gives.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import mwparserfromhell
import pycountry
import pypandoc
from babel import Locale
from mwparserfromhell.nodes import Template

LUA = Path(__file__).parent / "plain-cells.lua"
# pandoc options per flavour; "plain" ones need table cells as plain text (LUA) to be chosen.
RAW = {
    "markdown": ["-t", "markdown"],
    "setext": ["-t", "markdown", "--markdown-headings=setext"],
}
RENDERED = {
    "grid": ["-t", "markdown-simple_tables-multiline_tables-pipe_tables"],
    "pipe": ["-t", "markdown-simple_tables-multiline_tables-grid_tables", "--lua-filter", str(LUA)],
    "simple": ["-t", "markdown-pipe_tables-multiline_tables-grid_tables", "--lua-filter", str(LUA)],
    "multiline": ["-t", "markdown-pipe_tables-simple_tables-grid_tables", "--lua-filter", str(LUA)],
    "html": ["-t", "markdown-pipe_tables-simple_tables-multiline_tables-grid_tables"],
    "gfm": ["-t", "gfm"],
    "link-attributes-off": ["-t", "markdown-link_attributes", "--lua-filter", str(LUA)],
}


def pandoc(text: str, options: list[str]) -> str:
    """``text`` (MediaWiki) as pandoc writes it with ``options``."""
    return _run([pypandoc.get_pandoc_path(), "-f", "mediawiki", "--wrap=auto", *options], text)


FLAGS = {"flag", "flagicon", "flagcountry", "flagu", "flag icon", "flagdeco"}
LINKS = {"link-en": 0, "le": 0, "ill": 0, "tsl": 2}
TEXT = {"lang": 1, "nowrap": 0, "small": 0, "sort": 1, "nobr": 0}
NOTES = {"efn", "refn"}


@cache
def _chinese_names() -> dict[str, str]:
    """Country codes (alpha-2 and -3) to their CLDR Chinese names: what a flag shows."""
    names = Locale.parse("zh").territories
    found = {}
    for country in pycountry.countries:
        if country.alpha_2 in names:
            found[country.alpha_2] = found[country.alpha_3] = names[country.alpha_2]
    return found


def _shown(template: Template) -> str:
    """What a reader of the page sees in place of a template, as wikitext."""
    name = str(template.name).strip()
    key = name.lower()
    args = [str(p.value).strip() for p in template.params if not p.showkey]
    if key in FLAGS and args:
        return f"[[{_chinese_names().get(args[0], args[0])}]]"
    if name in _chinese_names():
        return f"[[{_chinese_names()[name]}]]"
    if (key in LINKS or key.startswith("link-")) and args:
        index = LINKS.get(key, 0)
        return f"[[{args[index] if len(args) > index else args[0]}]]"
    if key in TEXT or key.startswith("lang-"):
        index = TEXT.get(key, 0)
        return args[index] if len(args) > index else ""
    if key in NOTES and args:
        return f"<ref>{args[0]}</ref>"
    return ""


def rendered(wikitext: str) -> str:
    """The wikitext with every template replaced by what the page shows of it (inner ones first)."""
    code = mwparserfromhell.parse(wikitext)
    for template in reversed(code.filter_templates(recursive=True)):
        code.replace(template, _shown(template))
    return str(code)


def _rows_of(table: list[Any]) -> int:
    """Rows of a pandoc JSON Table (head and bodies) with at least one cell holding anything."""
    head, bodies = table[3], table[4]  # [attr, caption, colspecs, head, bodies, foot]
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    return sum(1 for row in rows if any(cell[4] for cell in row[1]))


def _tables(node: Any) -> Iterator[list[Any]]:
    if isinstance(node, dict):
        if node.get("t") == "Table":
            yield node["c"]
        for value in node.values():
            yield from _tables(value)
    elif isinstance(node, list):
        for value in node:
            yield from _tables(value)


def pandoc_table_rows(text: str, source_format: str) -> list[int]:
    """How many rows holding anything pandoc itself reads in each table of ``text`` (written as
    HTML by pandoc, then read as HTML, so raw HTML tables count too): the oracle for Markdown
    pandoc writes but cannot read back as it was (a row over two lines of a simple table)."""
    html = _run([pypandoc.get_pandoc_path(), "-f", source_format, "-t", "html"], text)
    ast = _run([pypandoc.get_pandoc_path(), "-f", "html", "-t", "json"], html)  # raw HTML tables too
    return [_rows_of(table) for table in _tables(json.loads(ast)["blocks"])]


def _run(command: list[str], text: str) -> str:
    return subprocess.run(command, input=text.encode("utf-8"), capture_output=True, check=True).stdout.decode("utf-8")
