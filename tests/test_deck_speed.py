"""The deck's shortcuts around python-pptx's slow paths give the same bytes as python-pptx's own way."""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation

from relmap.report.pptx import _notes


def _saved(prs: Any) -> dict[str, bytes]:
    import zipfile

    buf = io.BytesIO()
    prs.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {name: z.read(name) for name in z.namelist() if not name.startswith("docProps/")}


def _deck(notes: Any) -> dict[str, bytes]:
    prs = Presentation()
    for n in range(4):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        if n != 2:  # a slide without notes in between
            notes(slide, f"notes of slide {n + 1}\n\nsecond paragraph")
    return _saved(prs)


def test_notes_are_python_pptx_notes() -> None:
    """Notes made by copying the first notes slide: the same parts, names, relationships and XML as python-pptx's."""

    def python_pptx(slide: Any, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = text

    ours, theirs = _deck(_notes), _deck(python_pptx)
    assert sorted(ours) == sorted(theirs)
    assert [n for n in ours if n.startswith("ppt/notesSlides/notesSlide")] == [
        f"ppt/notesSlides/notesSlide{n}.xml" for n in (1, 2, 3)]
    for name in theirs:
        assert ours[name] == theirs[name], name
    assert b"notes of slide 4" in ours["ppt/notesSlides/notesSlide3.xml"]
