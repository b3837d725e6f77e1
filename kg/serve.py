"""`kg serve`: the graph over HTTP, read-only. A SPARQL 1.1 Protocol endpoint (/sparql), the
stored queries as an API (/api/NAME, with an OpenAPI description), Linked Data pages for every
IRI under the base, pictures (/plot/NAME), a service description and a VoID description.

Every request that touches the graph is a job in a worker process (kg.pool), so a query past
its time limit is stopped for real and the server answers the next one. The jobs call the same
kg.query code as the command line: parameters bound as RDF terms, SERVICE and FROM refused.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD, Namespace
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg.errors import UsageError
from kg.export import serialize
from kg.formats import RDF_FORMATS, RESULT_FORMATS, is_rdf_format, rdf_format
from kg.iri import iri_from_uri
from kg.pages import Site, description, home_page, resource_page
from kg.plot import PLOTS, plot
from kg.pool import Job, Opener, Pool, Reply, text_reply
from kg.query import StoredQuery, catalogue, load_query, remote_parts, render, run
from kg.query import bind as bind_params
from kg.store import Answer, Result, Store
from kg.vocab import CC_BY_SA_4

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
MAX_QUERY_CHARS = 1024 * 1024
ALL_TRIPLES = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
# What each kind of answer can be written as, in order of preference (the first is the default).
SELECT_OFFERS: dict[str, str] = {name: RESULT_FORMATS[name] for name in ("json", "xml", "csv", "tsv", "table")}
ASK_OFFERS: dict[str, str] = {name: RESULT_FORMATS[name] for name in ("json", "xml", "table")}
GRAPH_OFFERS: dict[str, str] = {f.name: f.media_type for f in RDF_FORMATS}
PAGE_OFFERS: dict[str, str] = {"html": "text/html", **GRAPH_OFFERS}
_CHARSET = ("text/", "application/sparql-results+json", "application/ld+json")


@dataclass(frozen=True)
class Settings:
    base: str
    max_rows: int


@cache
def stored_queries() -> dict[str, StoredQuery]:
    """The catalogue, read once: the server answers from the files it started with."""
    return catalogue()


# ---------------------------------------------------------------- negotiation


def _accepted(accept: str) -> list[tuple[float, int, str]]:
    """The media ranges of an Accept header with their q-values, best first (order kept)."""
    ranges = []
    for position, item in enumerate(part for part in accept.split(",") if part.strip()):
        media, *parameters = (piece.strip() for piece in item.split(";"))
        q = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((-q, position, media.lower()))
    return sorted(ranges)


def choose(accept: str, given: str | None, offers: Mapping[str, str]) -> str | None:
    """The format to answer in: ``given`` (a ?format= name) if offered, else the best offer the
    Accept header takes; None when none fits (406)."""
    if given:
        name = rdf_format(given).name if is_rdf_format(given) and given not in offers else given
        return name if name in offers else None
    if not accept.strip():
        return next(iter(offers))
    for minus_q, _, media in _accepted(accept):
        if minus_q >= 0:
            break
        for name, offered in offers.items():
            if media in (offered, "*/*") or (media.endswith("/*") and offered.startswith(media[:-1])):
                return name
    return None


def _not_acceptable(offers: Mapping[str, str]) -> Reply:
    return text_reply(406, "no acceptable format; this answer can be: " + ", ".join(offers.values()))


def _reply(answer: Answer, accept: str, given: str | None, settings: Settings) -> Reply:
    offers = ASK_OFFERS if isinstance(answer, bool) else GRAPH_OFFERS if isinstance(answer, Graph) else SELECT_OFFERS
    fmt = choose(accept, given, offers)
    if fmt is None:
        return _not_acceptable(offers)
    headers = {}
    if isinstance(answer, Result) and len(answer.rows) > settings.max_rows:
        headers["X-Kg-Rows-Cut"] = f"{settings.max_rows} of {len(answer.rows)} rows (kg serve --max-rows)"
        answer = Result(answer.columns, answer.rows[: settings.max_rows])
    return Reply(200, _with_charset(offers[fmt]), render(answer, fmt, settings.base), headers)


def _with_charset(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith(_CHARSET) else media


# ---------------------------------------------------------------- jobs (run in a worker)


def _refuse_updates(text: str) -> None:
    """An update is refused as one (the endpoint is read-only), not as a malformed query."""
    try:
        remote_parts(text)
    except UsageError:
        if not _is_update(text):
            raise
        raise UsageError("updates (INSERT, DELETE, LOAD, CLEAR, …) are refused: this endpoint is read-only") from None


def _is_update(text: str) -> bool:
    from pyparsing import ParseException  # noqa: PLC0415 - rdflib's parser, only for text that is no query
    from rdflib.plugins.sparql.parser import parseUpdate  # noqa: PLC0415

    try:
        parseUpdate(text)
    except ParseException:
        return False
    return True


def sparql_job(store: Store, text: str, accept: str, given: str | None, settings: Settings) -> Reply:
    _refuse_updates(text)
    query = load_query(Path("<query>"), data=text.encode("utf-8"))
    return _reply(run(query, store, {}), accept, given, settings)


def api_job(
    store: Store, name: str, values: dict[str, str], accept: str, given: str | None, settings: Settings
) -> Reply:
    query = stored_queries()[name]
    return _reply(run(query, store, bind_params(query, store, values)), accept, given, settings)


def resource_job(store: Store, iri: str, accept: str, given: str | None, site: Site) -> Reply:
    fmt = choose(accept, given, PAGE_OFFERS)
    if fmt is None:
        return _not_acceptable(PAGE_OFFERS)
    if fmt == "html":
        page = resource_page(store, URIRef(iri), site)
        return text_reply(404, f"<{iri}> is not in the graph") if page is None else _html(page)
    graph = description(store, URIRef(iri))
    if not len(graph):
        return text_reply(404, f"<{iri}> is not in the graph")
    return Reply(200, _with_charset(GRAPH_OFFERS[fmt]), serialize(graph, fmt))


def _html(page: str) -> Reply:
    return Reply(200, "text/html; charset=utf-8", page.encode("utf-8"))


def home_job(store: Store, site: Site) -> Reply:
    return _html(home_page(store, site, stored_queries()))


def plot_job(store: Store, name: str, fmt: str, international: str | None) -> Reply:
    media = {"svg": "image/svg+xml", "png": "image/png"}.get(fmt, "")
    return Reply(200, media, plot(store, name, fmt, international))


def _count(store: Store, text: str) -> int:
    answer = store.query(text, {})
    assert isinstance(answer, Result) and answer.rows and answer.rows[0][0] is not None
    return int(str(answer.rows[0][0]))


def void_job(store: Store, accept: str, given: str | None, site: Site) -> Reply:
    """The VoID description: size, where its IRIs live, the endpoint, the licence."""
    graph = Graph()
    dataset = URIRef(site.root + ".well-known/void#dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, VOID.triples, Literal(_count(store, ALL_TRIPLES))))
    graph.add((dataset, VOID.entities, Literal(_count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c }"))))
    graph.add((dataset, VOID.uriSpace, Literal(site.base)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(site.root + "sparql")))
    graph.add((dataset, DCTERMS.license, CC_BY_SA_4))
    return _rdf_reply(graph, accept, given)


def service_job(store: Store, accept: str, given: str | None, site: Site) -> Reply:
    """The SPARQL 1.1 Service Description, answered at the endpoint to a GET without a query."""
    graph = Graph()
    service = URIRef(site.root + "sparql#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(site.root + "sparql")))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for media in {*SELECT_OFFERS.values(), *GRAPH_OFFERS.values()} - {"text/plain"}:
        graph.add((service, SD.resultFormat, Literal(media)))
    default = URIRef(site.root + "sparql#default-graph")
    graph.add((service, SD.defaultDataset, URIRef(site.root + ".well-known/void#dataset")))
    graph.add((URIRef(site.root + ".well-known/void#dataset"), SD.defaultGraph, default))
    count = _count(store, ALL_TRIPLES)
    graph.add((default, VOID.triples, Literal(count, datatype=XSD.integer)))
    return _rdf_reply(graph, accept, given)


def _rdf_reply(graph: Graph, accept: str, given: str | None) -> Reply:
    fmt = choose(accept, given, GRAPH_OFFERS)
    if fmt is None:
        return _not_acceptable(GRAPH_OFFERS)
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    return Reply(200, _with_charset(GRAPH_OFFERS[fmt]), serialize(graph, fmt))


JOBS: dict[str, Job] = {
    "sparql": sparql_job,
    "api": api_job,
    "resource": resource_job,
    "home": home_job,
    "plot": plot_job,
    "void": void_job,
    "service": service_job,
}


# ---------------------------------------------------------------- HTTP


def _format_param(request: Request) -> str | None:
    return request.query_params.get("format") or None


def _response(reply: Reply) -> Response:
    return Response(reply.body, reply.status, headers=reply.headers, media_type=reply.media_type)


class Server:
    """The routes; every answer that reads the graph comes from a worker of the pool, which
    exists while the app serves (its lifespan)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.base_path = urlsplit(settings.base).path
        self.workers: Pool | None = None

    @property
    def pool(self) -> Pool:
        if self.workers is None:
            raise RuntimeError("the server's workers start with its lifespan")
        return self.workers

    def site(self, request: Request) -> Site:
        return Site(self.settings.base, str(request.base_url))

    async def sparql(self, request: Request) -> Response:
        try:
            text = await self._query_text(request)
        except UsageError as exc:
            return _response(text_reply(400, str(exc)))
        if text is None:
            accept = request.headers.get("accept", "")
            return _response(await self.pool.run("service", accept, _format_param(request), self.site(request)))
        accept = request.headers.get("accept", "")
        return _response(await self.pool.run("sparql", text, accept, _format_param(request), self.settings))

    async def _query_text(self, request: Request) -> str | None:
        """The query of a SPARQL 1.1 Protocol request: ?query=, a form's query=, or the body of
        an application/sparql-query POST. Updates and dataset parameters are refused."""
        params = dict(request.query_params)
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/sparql-query":
                params["query"] = (await request.body()).decode("utf-8", "replace")
            elif kind == "application/x-www-form-urlencoded":
                body = (await request.body()).decode("utf-8", "replace")
                params |= dict(parse_qsl(body, keep_blank_values=True))
            elif kind == "application/sparql-update":
                raise UsageError("updates are refused: this endpoint is read-only")
            else:
                raise UsageError(f"a POST holds application/sparql-query or a form, not '{kind}'")
        if "update" in params:
            raise UsageError("updates are refused: this endpoint is read-only")
        if {"default-graph-uri", "named-graph-uri"} & set(params):
            raise UsageError("default-graph-uri and named-graph-uri are refused: the endpoint serves one graph")
        text = params.get("query")
        if text is not None and len(text) > MAX_QUERY_CHARS:
            raise UsageError(f"the query is longer than {MAX_QUERY_CHARS} characters")
        return text

    async def api(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in stored_queries():
            return _response(text_reply(404, f"no stored query '{name}'; see /api"))
        values = {k: v for k, v in request.query_params.items() if k != "format"}
        repeated = sorted({k for k in values if len(request.query_params.getlist(k)) > 1})
        if repeated:
            return _response(text_reply(400, f"parameter {', '.join(repeated)} is given more than once"))
        accept = request.headers.get("accept", "")
        return _response(await self.pool.run("api", name, values, accept, _format_param(request), self.settings))

    async def api_index(self, request: Request) -> Response:
        return Response(
            json.dumps(openapi(str(request.base_url)), ensure_ascii=False, indent=1), 200, media_type="application/json"
        )

    async def resource(self, request: Request) -> Response:
        raw = request.scope.get("raw_path", request.url.path.encode()).decode("ascii", "replace")
        iri = iri_from_uri(self.settings.base + raw[len(self.base_path) :].split("?", 1)[0])
        accept = request.headers.get("accept", "")
        return _response(await self.pool.run("resource", iri, accept, _format_param(request), self.site(request)))

    async def home(self, request: Request) -> Response:
        return _response(await self.pool.run("home", self.site(request)))

    async def void(self, request: Request) -> Response:
        accept = request.headers.get("accept", "")
        return _response(await self.pool.run("void", accept, _format_param(request), self.site(request)))

    async def picture(self, request: Request) -> Response:
        stem, _, fmt = request.path_params["name"].rpartition(".")
        if stem not in PLOTS or fmt not in ("svg", "png"):
            return _response(
                text_reply(404, f"no picture '{request.path_params['name']}'; try {', '.join(PLOTS)} .svg or .png")
            )
        international = request.query_params.get("international")
        return _response(await self.pool.run("plot", stem, fmt, international))

    def routes(self) -> list[Route]:
        return [
            Route("/", self.home),
            Route("/sparql", self.sparql, methods=["GET", "POST"]),
            Route("/api", self.api_index),
            Route("/api/openapi.json", self.api_index),
            Route("/api/{name}", self.api),
            Route("/plot/{name}", self.picture),
            Route("/.well-known/void", self.void),
            Route(self.base_path + "{rest:path}", self.resource),
        ]


def openapi(root: str) -> dict[str, Any]:
    """An OpenAPI 3 description of /api, made from the stored queries' headers."""
    paths = {}
    for query in stored_queries().values():
        parameters = [
            {
                "name": p.name,
                "in": "query",
                "required": False,
                "description": p.about + ("" if p.optional else f" (default {p.default})"),
                "schema": {"type": "integer" if p.type == "integer" else "string"},
            }
            for p in query.params
        ]
        parameters.append({"name": "format", "in": "query", "required": False, "schema": {"enum": list(SELECT_OFFERS)}})
        content: dict[str, dict[str, str]] = {media: {} for media in SELECT_OFFERS.values()}
        paths[f"/api/{query.name}"] = {
            "get": {
                "summary": query.summary,
                "parameters": parameters,
                "responses": {
                    "200": {"description": f"columns: {', '.join(query.columns)}", "content": content},
                    "400": {"description": "a parameter that names nothing in the graph"},
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "kg stored queries", "version": "1"},
        "servers": [{"url": root}],
        "paths": paths,
    }


def create_app(opener: Opener, settings: Settings, workers: int, seconds: float) -> Starlette:
    """The ASGI app; its workers are forked from this process once it serves (lifespan), and
    each takes its store from ``opener``."""
    server = Server(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        server.workers = Pool(opener, JOBS, workers, seconds)
        yield
        server.workers.close()

    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"])]
    return Starlette(routes=server.routes(), middleware=middleware, lifespan=lifespan)
