"""Bad input: a diagnostic path:line:col and exit code 2, or a warning with the row kept.
Never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main
from kg.sources import read_article

WIKI_TABLE = """'''某国际'''（缩写为XI）是一个国际组织。

==第一次会议（2001年）参加者==
{| class="wikitable"
|-
! 国家 !! 政党或组织
|-
| {{FRA}} || [[法国工人党]]
|-
| {{XQZ}} || 无名党
|}
"""

MD_MEMBERS = """**某国际**（缩写为XI）是一个国际组织。

## 成员

<table>
<thead>
<tr class="header">
<th><p>国家</p></th>
<th><p>政党或组织</p></th>
<th><p>加入时间</p></th>
</tr>
</thead>
<tbody>
<tr class="odd">
<td><p>法国</p></td>
<td><p>法国工人党</p></td>
<td><p>不详</p></td>
</tr>
<tr class="even">
<td><p>德国</p></td>
<td><p>德国工人党</p></td>
<td><p>2011年</p></td>
<tr class="odd">
<td><p>意大利</p></td>
<td><p>意大利工人党</p></td>
<td><p>2012年</p></td>
</tr>
</tbody>
</table>
"""


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("name", "data", "where", "message"),
    [
        ("empty.md", "  \n\n", ":1:1:", "file is empty"),
        ("binary.md", b"**x**\n\x00\x01\x02", ":2:1:", "binary file"),
        ("latin1.md", "**名**\n".encode() + b"caf\xe9\n", ":2:4:", "not UTF-8"),
        ("plain.txt", "just some words\nwith no markup at all\n", ":1:1:", "unknown format"),
        ("open.wiki", "'''名'''\n\n==成员==\n{| class=\"wikitable\"\n|-\n| a || b\n", ":4:1:", "never closed"),
        ("open.md", "**名**\n\n## 成员\n\n<table>\n<tr><td>a</td></tr>\n", ":5:1:", "never closed"),
        ("noname.md", '没有粗体名字的文章，[链接](../Page/X.md "wikilink")。\n', ":1:1:", "names no organisation"),
    ],
)
def test_unreadable_file_is_exit_2_with_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes | str, where: str, message: str
) -> None:
    path = _write(tmp_path, name, data)
    assert main(["inspect", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}{where}" in err
    assert message in err
    assert "Traceback" not in err


def test_missing_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(tmp_path / "nope.md")]) == 2
    assert "cannot read file" in capsys.readouterr().err


def test_unknown_flag_template_is_a_warning_and_the_row_is_kept(tmp_path: Path) -> None:
    article = read_article(_write(tmp_path, "flags.wiki", WIKI_TABLE))
    names = [e.party.name for e in article.attendances]
    assert names == ["法国工人党", "无名党"]
    kept = article.attendances[1]
    assert kept.country is None and kept.raw == ("{{XQZ}}",)
    (warning,) = article.diagnostics  # the reader names the template once; the row keeps it as raw text
    assert (warning.line, warning.col, warning.code) == (10, 3, "unknown-template")
    assert "{{XQZ}}" in warning.message


def test_non_year_and_unclosed_row_are_warnings_with_rows_kept(tmp_path: Path) -> None:
    article = read_article(_write(tmp_path, "members.md", MD_MEMBERS))
    rows = [(m.party.name, m.joined.value if m.joined else None, m.raw) for m in article.memberships]
    assert rows == [("法国工人党", None, ("不详",)), ("德国工人党", 2011, ()), ("意大利工人党", 2012, ())]
    found = {(d.line, d.code) for d in article.diagnostics}
    assert found == {(17, "unreadable-year"), (19, "unclosed-row")}


def test_unknown_usage_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert main(["inspect", "--no-such-flag"]) == 2


def test_table_markup_no_reader_makes_out_is_reported(tmp_path: Path) -> None:
    """A pipe table without its separator line, a broken grid: reported at their lines, never
    dropped in silence (an unseen Markdown file once gave 0 tables and no warning)."""
    text = "**某国际**是一个国际组织。\n\n## 成员\n\n| 国家 | 政党 |\n| 法国 | 法国共产党 |\n\n+--- 断了\n| x |\n"
    article = read_article(_write(tmp_path, "broken.md", text))
    assert article.tables == []
    assert [(d.line, d.code) for d in article.diagnostics] == [(5, "unread-table"), (9, "unread-table")]
