"""Does the ``graphviz`` Python package earn its place? Building the DOT source with it vs relmap's own writer.

Run (the package is not a dependency of relmap, so install it aside first)::

    .venv/bin/pip install --target /tmp/gv graphviz
    .venv/bin/python bench/graphviz_package.py --path /tmp/gv [--nodes 10000]

It builds the same graph twice per repeat — ``--nodes`` activities with
relmap's HTML-like labels (escaped by :func:`relmap.render.text.dot_html`) and
two edges each — once as relmap writes DOT (f-strings) and once with
``graphviz.Digraph.node``/``edge`` (which quotes every id and attribute), and
prints the best time of each, the import time of the package, and whether
``graphviz.pipe`` can stop a layout that runs away (a ``timeout`` argument).
See bench/GRAPHVIZ.md for the figures and the decision.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
from collections.abc import Callable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--path", default=None, help="folder holding the graphviz package (pip install --target)")
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.path:
        sys.path.insert(0, args.path)
    start = time.perf_counter()
    try:
        import graphviz
    except ImportError:
        print("the graphviz package is not installed: see this script's docstring", file=sys.stderr)
        return 1
    import_s = time.perf_counter() - start

    from relmap.render.text import dot_html

    n = args.nodes
    labels = [f'<<TABLE BORDER="0"><TR><TD>{dot_html(f"Activité n°{i} & co")}</TD></TR></TABLE>>' for i in range(n)]

    def relmap_writer() -> str:
        out = ["digraph G {", 'graph [rankdir=LR, fontname="Helvetica"];']
        for i in range(n):
            out.append(f'"a{i}" [label={labels[i]}, shape=box, fillcolor="#eeeeee", style="rounded,filled"];')
        for i in range(n - 1):
            out.append(f'"a{i}" -> "a{i + 1}" [color="#888888", penwidth=1.5];')
            out.append(f'"a{i}" -> "a{(i * 7) % n}" [color="#888888", penwidth=1.5];')
        out.append("}")
        return "\n".join(out)

    def package() -> str:
        g = graphviz.Digraph("G", graph_attr={"rankdir": "LR", "fontname": "Helvetica"})
        for i in range(n):
            g.node(f"a{i}", label=labels[i], shape="box", fillcolor="#eeeeee", style="rounded,filled")
        for i in range(n - 1):
            g.edge(f"a{i}", f"a{i + 1}", color="#888888", penwidth="1.5")
            g.edge(f"a{i}", f"a{(i * 7) % n}", color="#888888", penwidth="1.5")
        return str(g.source)

    def best(build: Callable[[], str]) -> float:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            build()
            times.append(time.perf_counter() - t)
        return min(times)

    ours, theirs = best(relmap_writer), best(package)
    print(f"graphviz {graphviz.__version__}: import {import_s:.3f} s")
    print(f"{n:,} nodes, {2 * (n - 1):,} edges: relmap's writer {ours:.3f} s, graphviz.Digraph {theirs:.3f} s "
          f"({theirs / ours:.0f}x)")
    print(f"graphviz.pipe has a timeout argument: {'timeout' in inspect.signature(graphviz.pipe).parameters}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
