"""Data flows one way: sources → records → resolve → graph → (validate | reason | query | export)
→ build → serve → commands → cli → __main__.
No module imports a later stage."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.expectations import ROOT

STAGES = [
    "collector",
    "defaults",
    "errors",
    "files",
    "formats",
    "bounded",
    "delimited",
    "resources",
    "fold",
    "titles",
    "lexicon",
    "spans",
    "geo",
    "records",
    "sources",
    "resolve",
    "report",
    "vocab",
    "iri",
    "graph",
    "load",
    "shacl_jobs",
    "validate",
    "reason",
    "jsonld",
    "export",
    "store",
    "results",
    "query",
    "pool",
    "draw",
    "plot",
    "pages",
    "wikidata",
    "link",
    "wikiexport",
    "build",
    "push",
    "serve",
    "api",
    "commands",
    "cli",
    "__main__",
]


def _stage(module: str) -> int:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[0] == "kg" and parts[1] in STAGES else -1


def test_no_module_imports_a_later_stage() -> None:
    for path in sorted((ROOT / "kg").rglob("*.py")):
        module = "kg." + ".".join(path.relative_to(ROOT / "kg").with_suffix("").parts)
        own = _stage(module.removesuffix(".__init__"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert _stage(node.module) <= own, f"{path}: imports {node.module}"


def test_sources_never_import_rdflib() -> None:
    for path in (ROOT / "kg" / "sources").rglob("*.py"):
        assert "rdflib" not in Path(path).read_text(encoding="utf-8")
