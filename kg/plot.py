"""The pictures of the graph, by name: what `kg plot` and the server's /plot/NAME draw.

The names and formats are in kg.defaults (the command line's help shows them); the drawing is in kg.draw, imported only when a picture is
made (matplotlib takes most of a second to import, and every other command goes without it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.defaults import PLOT_FORMATS, PLOTS
from kg.errors import UsageError

if TYPE_CHECKING:
    from kg.store import Store

__all__ = ["PLOTS", "PLOT_FORMATS", "plot"]


def plot(store: Store, name: str, fmt: str, international: str | None = None) -> bytes:
    """The picture ``name`` of the graph in ``store`` as ``fmt`` (svg or png) bytes.
    ``international``: its IRI (an abbreviation or name is read too), needed by the heatmap
    and the timeline, ignored by the network."""
    if name not in PLOTS:
        raise UsageError(f"unknown plot '{name}'; choose one of {', '.join(PLOTS)}")
    if fmt not in PLOT_FORMATS:
        raise UsageError(f"unknown picture format '{fmt}'; choose one of {', '.join(PLOT_FORMATS)}")
    from kg.draw import draw  # noqa: PLC0415 - matplotlib only when a picture is made

    return draw(store, name, fmt, international)
