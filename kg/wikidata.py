"""A client for the Wikidata Query Service (or any SPARQL endpoint holding Wikidata-shaped data).

It follows the service's rules: a descriptive User-Agent, titles and names sent in batches,
and back-off on 429/503 honouring Retry-After. Values go into the queries as RDF terms
serialised by rdflib (quotes and backslashes escaped), never as raw strings. Every failure —
refused, timed out, throttled for too long, malformed answer — is a LinkError with a message,
and no link is made from it.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from rdflib import Literal

from kg.defaults import WDQS
from kg.errors import ExitCode, KgError
from kg.fold import to_simplified
from kg.resources import QUERIES_DIR
from kg.vocab import WD

USER_AGENT = "kg-internationals/0.1 (knowledge graph of political internationals; {contact}) httpx"
ZH_TAGS = ("zh", "zh-hans", "zh-hant", "zh-cn", "zh-tw", "zh-hk")
_VALUES = re.compile(r"VALUES (\?\w+) \{ \}")


class LinkError(KgError):
    """The service could not give an answer to build links on."""

    exit_code = ExitCode.BAD_INPUT


def _traditional(text: str) -> str:
    import zhconv_rs  # noqa: PLC0415

    return str(zhconv_rs.zhconv(text, "zh-hant"))


def variants(text: str) -> list[str]:
    """The text as written and in simplified and traditional script, without repeats."""
    return list(dict.fromkeys((text, to_simplified(text), _traditional(text))))


def fill(template: str, terms: Iterable[Literal]) -> str:
    """The query with its empty VALUES block filled with the terms, serialised by rdflib."""
    block = " ".join(term.n3() for term in terms)
    filled, count = _VALUES.subn(lambda m: f"VALUES {m.group(1)} {{ {block} }}", template, count=1)
    if count != 1:
        raise LinkError("query template has no empty 'VALUES ?x { }' block to fill")
    return filled


@dataclass
class WikidataClient:
    endpoint: str = WDQS
    timeout: float = 30.0
    batch: int = 50
    retries: int = 4
    sleep: Callable[[float], None] = time.sleep
    contact: str = field(default_factory=lambda: os.environ.get("KG_CONTACT", "see the project README"))

    def select(self, template: str, terms: list[Literal]) -> list[dict[str, str]]:
        """Rows of the template query for the terms, sent in batches."""
        rows: list[dict[str, str]] = []
        for start in range(0, len(terms), self.batch):
            rows.extend(self._post(fill(template, terms[start : start + self.batch])))
        return rows

    def _post(self, query: str) -> Iterator[dict[str, str]]:
        headers = {"User-Agent": USER_AGENT.format(contact=self.contact), "Accept": "application/sparql-results+json"}
        for attempt in range(self.retries + 1):
            try:
                response = httpx.post(self.endpoint, data={"query": query}, headers=headers, timeout=self.timeout)
            except httpx.TimeoutException:
                raise LinkError(f"{self.endpoint}: no answer within {self.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise LinkError(f"{self.endpoint}: cannot reach the service ({exc})") from None
            if response.status_code not in (429, 503):
                break
            if attempt == self.retries:
                raise LinkError(
                    f"{self.endpoint}: still throttled (HTTP {response.status_code}) after {self.retries} retries"
                )
            self.sleep(_retry_after(response, attempt))
        if response.status_code != 200:
            raise LinkError(f"{self.endpoint}: the service answered HTTP {response.status_code}")
        return _bindings(self.endpoint, response)


def _retry_after(response: httpx.Response, attempt: int) -> float:
    """Seconds to wait: the service's Retry-After if it says, else 1, 2, 4, 8 … (at most 60)."""
    value = response.headers.get("Retry-After", "")
    return min(60.0, float(value)) if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", value) else float(min(60, 2**attempt))


def _bindings(endpoint: str, response: httpx.Response) -> Iterator[dict[str, str]]:
    """The plain values of a SPARQL JSON answer; anything else is a malformed answer."""
    try:
        document: Any = json.loads(response.text)
        rows = document["results"]["bindings"]
        values = [{name: str(cell["value"]) for name, cell in row.items()} for row in rows]
    except (ValueError, KeyError, TypeError) as exc:
        raise LinkError(f"{endpoint}: malformed answer, not SPARQL JSON results ({type(exc).__name__})") from None
    return iter(values)


def load_template(name: str) -> str:
    return (QUERIES_DIR / "wikidata" / f"{name}.rq").read_text(encoding="utf-8")


_QID = re.compile(r"Q[1-9][0-9]*")


def qid(iri: str) -> str:
    """Q42 from http://www.wikidata.org/entity/Q42 (empty for anything else)."""
    local = iri.removeprefix(str(WD))
    return local if iri.startswith(str(WD)) and _QID.fullmatch(local) else ""
