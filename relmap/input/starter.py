"""Starter files for ``relmap init``: a commented company file that validates as written."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..fsutil import write_atomic
from ..i18n import _


def write_starter(path: str | Path, template: str = "blank", lang: str = "en", *, force: bool = False) -> Path:
    """Write the starter file ``template`` in ``lang`` to ``path``.

    Refuses to overwrite an existing file unless ``force`` is true.

    Raises:
        UsageError: the file exists (without ``force``), or the template/language is unknown.
    """
    from .. import seeds

    target = Path(path)
    if target.exists() and not force:
        raise UsageError(_("{path} already exists; use --force to overwrite it").format(path=path))
    if target.is_dir():
        raise UsageError(_("{path} is a folder; give a file name such as company.yaml").format(path=path))
    try:
        text = seeds.template_text(template, lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return write_atomic(target, text)
