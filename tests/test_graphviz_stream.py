"""One Graphviz process for many layouts (relmap/render/stream.py), with the real Graphviz: the same answers as
one run per batch, batch after batch in one process, a graph Graphviz gives no output for noticed at the batch's
end (not by waiting), and the one-shot run taking over with its own error."""

from __future__ import annotations

import os
import shutil

import pytest

from relmap.errors import RenderError
from relmap.render import stream
from relmap.render.svg import measure_nodes, run_dot

needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="Graphviz is not installed")

MEASURE = 'digraph measure {\n  m0 [label="Welcome desk", shape="box"];\n  m1 [label=<<B>Care</B>>];\n}\n'
PLACED = ('digraph relmap {\n  graph [bb="0,0,300,100", splines="true"];\n'
          '  a [pos="30,50", width="0.8", height="0.5", label="", fixedsize="true", shape="box"];\n'
          '  b [pos="270,50", width="0.8", height="0.5", label="", fixedsize="true", shape="box"];\n'
          '  c [pos="150,50", width="0.8", height="0.8", label="", fixedsize="true", shape="box"];\n'
          '  a -> b;\n}\n')


@pytest.fixture(autouse=True)
def _closed() -> object:
    yield
    stream.close_streams()


@needs_graphviz
def test_streamed_sizes_and_routes_are_the_one_shot_runs() -> None:
    assert stream.measure_streamed(MEASURE) == measure_nodes(MEASURE)
    import json

    one_shot = json.loads(run_dot(PLACED, "json0", engine=("neato", "-n2")))
    streamed = stream.laid_out([PLACED, PLACED], "json0", engine=("neato", "-n2"))
    assert [g["edges"][0]["pos"] for g in streamed] == [one_shot["edges"][0]["pos"]] * 2
    # the edge goes around the box in its way: a real route, not a straight line
    assert len(one_shot["edges"][0]["pos"].split()) > 4


@needs_graphviz
def test_one_process_serves_batch_after_batch() -> None:
    first = stream._stream(("dot",), "json0")
    for k in range(1, 6):
        got = stream.laid_out([MEASURE] * k, "json0")
        assert len(got) == k and all(g["name"] == "measure" for g in got)
    assert stream._stream(("dot",), "json0") is first and first.process.poll() is None
    assert first.batches == 5 and first.flushed >= 4  # each batch ended by its flush graph (the last may be on its way)
    stream.close_streams()
    assert first.process.poll() is not None and first.broken


@needs_graphviz
def test_a_graph_without_output_is_noticed_and_the_one_shot_run_says_why() -> None:
    """A syntax error makes Graphviz drop the rest of its input: the stream sees the batch end short, or the
    process end, at once; the one-shot run then raises Graphviz's own error."""
    proc = stream._stream(("dot",), "json0")
    with pytest.raises(stream.StreamFailed):
        proc.run([MEASURE, "digraph broken { a -> ; }\n"], timeout=20)
    assert proc.broken
    with pytest.raises(RenderError):
        stream.laid_out([MEASURE, "digraph broken { a -> ; }\n"], "json0", timeout=20)
    assert stream.laid_out([MEASURE], "json0")[0]["name"] == "measure"  # a new process after the failure


@needs_graphviz
def test_a_forked_child_starts_its_own_process() -> None:
    parent = stream._stream(("dot",), "json0")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's exit code is the assertion
        ok = False
        try:
            child = stream._stream(("dot",), "json0")
            ok = child is not parent and stream.laid_out([MEASURE], "json0")[0]["name"] == "measure"
            stream.close_streams()  # closes its own process, not the parent's
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert parent.process.poll() is None and stream.laid_out([MEASURE], "json0")[0]["name"] == "measure"


def test_a_program_that_does_not_print_json_is_dropped_at_once(tmp_path: object) -> None:
    """A foreign ``dot`` that echoes its input (no JSON, and it keeps running): the stream gives up at the first
    read instead of waiting for the timeout."""
    from pathlib import Path

    echo = Path(str(tmp_path)) / "echo-dot"
    echo.write_text("#!/bin/sh\nexec cat\n")
    echo.chmod(0o755)
    proc = stream.GraphvizStream((str(echo),), "json0")
    with pytest.raises(stream.StreamFailed):
        proc.run([MEASURE], timeout=5)  # a RenderError (the timeout) if it waited
    assert proc.broken
