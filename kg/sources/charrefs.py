"""Character references (``&amp;``, ``&#x4E2D;``) read as HTML5 reads them.

A reference to a surrogate, to U+0000 or past U+10FFFF is U+FFFD, so no text read from a source
holds a character that no file can encode; a reference too long to be one stays text.
"""

from __future__ import annotations

import html
import re

_REFERENCE = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_references(text: str) -> str:
    """``text`` with its character references replaced by the characters they name."""
    return _REFERENCE.sub(lambda match: html.unescape(match[0]), text) if "&" in text else text


def without_surrogates(text: str) -> str:
    """Lone surrogates (which a parser may make from a reference) as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)
