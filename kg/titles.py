"""Page titles and the places a link can point to, the way MediaWiki reads them."""

from __future__ import annotations

import re
from urllib.parse import unquote

# Namespaces whose links are not party or place links, in the spellings zh.wikipedia
# accepts (English canonical names and 简/繁 local names).
CATEGORY_NAMESPACES = ("category", "分类", "分類")
FILE_NAMESPACES = ("file", "image", "文件", "檔案", "档案", "图像", "圖像")

_SPACES = re.compile(r"[\s_]+")
_WIKI_URL = re.compile(r"^(?:https?:)?//zh\.(?:m\.)?wikipedia\.org/(?:wiki|zh-[a-z]+)/(?P<title>.+)$")
_PAGE_PATH = re.compile(r"^(?:\.\./)*Page/(?P<title>.+?)\.md$")
_BACKSLASH_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def page_title(raw: str) -> str:
    """The page title a link target names: escapes undone, ``_`` as space, no #section.

    MediaWiki treats ``劳动党_(塞尔维亚)`` and ``劳动党 (塞尔维亚)`` as one page and
    capitalises a Latin first letter; Chinese characters are kept as written.
    """
    title = _BACKSLASH_ESCAPE.sub(r"\1", unquote(raw)).split("#", 1)[0]
    title = _SPACES.sub(" ", title).strip().lstrip(":").strip()
    return title[:1].upper() + title[1:]


def wiki_target(href: str) -> str | None:
    """The zh.wikipedia page a Markdown/HTML link points to, or None for other sites.

    pandoc's conversion writes both ``../Page/X.md`` and full article URLs.
    """
    href = href.strip()
    for pattern in (_WIKI_URL, _PAGE_PATH):
        if match := pattern.match(href):
            return page_title(match.group("title"))
    return None


def namespace(title: str) -> tuple[str, str]:
    """Split ``Category:X`` into ("category", "X"); ("", title) when there is none."""
    prefix, sep, rest = title.partition(":")
    if not sep:
        return "", title
    key = prefix.strip().casefold()
    if key in CATEGORY_NAMESPACES:
        return "category", rest.strip()
    if key in FILE_NAMESPACES:
        return "file", rest.strip()
    return "", title
