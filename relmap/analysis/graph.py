"""The value chain as a networkx DiGraph of activities and actors.

Nodes are keyed by their id (activities and actors share one id space, see
:mod:`relmap.input.validate`). Node attributes: ``node`` (``"activity"`` or
``"actor"``), ``stage`` (activities), ``actor_kind`` (actors). Edge attributes:
``kind`` (a flow's kind, or ``"relationship"`` for a ``touches``), ``touches``
(True when the edge comes only from a ``touches`` list), ``volume``.

Why sorted insertion: networkx iterates in insertion order, and betweenness
sampling, flow solvers and DOT output all follow it; inserting nodes sorted
by id and edges sorted by (from, to) makes every result independent of the
order of the file.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ..input.model import ValueChain

__all__ = ["activity_ids", "build_graph", "customer_ids", "reach_graph"]


def build_graph(chain: ValueChain) -> nx.DiGraph:
    """Build the DiGraph of a chain: activities and actors as nodes, flows and ``touches`` as edges.

    A ``touches: [actor]`` becomes an edge activity → actor of kind
    ``relationship`` (direct contact: the activity reaches that actor). When a
    flow already links the same pair in that direction, the flow's attributes
    are kept. Several flows between the same ordered pair merge into one edge
    (the first in (from, to, kind) order; volumes add up).

    Args:
        chain: a validated value chain.

    Returns:
        A new ``networkx.DiGraph``.
    """
    graph: nx.DiGraph = nx.DiGraph()
    for act in sorted(chain.activities, key=lambda a: a.id):
        graph.add_node(act.id, node="activity", stage=act.stage)
    for actor in sorted(chain.actors, key=lambda a: a.id):
        graph.add_node(actor.id, node="actor", actor_kind=actor.kind)
    for flow in sorted(chain.flows, key=lambda f: (f.from_, f.to, f.kind)):
        if graph.has_edge(flow.from_, flow.to):
            data = graph.edges[flow.from_, flow.to]
            if flow.volume is not None:
                data["volume"] = (data.get("volume") or 0.0) + flow.volume
            continue
        graph.add_edge(flow.from_, flow.to, kind=flow.kind, touches=False, volume=flow.volume)
    contacts = sorted({(act.id, actor) for act in chain.activities for actor in act.touches})
    for source, target in contacts:
        if not graph.has_edge(source, target):
            graph.add_edge(source, target, kind="relationship", touches=True, volume=None)
    return graph


def activity_ids(graph: nx.DiGraph) -> list[str]:
    """Ids of the activity nodes, in graph (sorted) order."""
    return [n for n, d in graph.nodes(data=True) if d.get("node") == "activity"]


def customer_ids(graph: nx.DiGraph) -> list[str]:
    """Ids of the customer actors, in graph (sorted) order."""
    return [n for n, d in graph.nodes(data=True) if d.get("actor_kind") == "customer"]


def reach_graph(graph: nx.DiGraph, customers: Iterable[str]) -> nx.DiGraph:
    """A copy of ``graph`` where customers are sinks: their outgoing edges are removed.

    Why: a path *to* a customer ends at the first customer it meets; a flow
    from the guests back into the booking desk must not make every activity a
    cycle through the customer.
    """
    sinks = set(customers)
    reach: nx.DiGraph = nx.DiGraph()
    reach.add_nodes_from(graph.nodes(data=True))
    reach.add_edges_from((u, v) for u, v in graph.edges() if u not in sinks)
    return reach
