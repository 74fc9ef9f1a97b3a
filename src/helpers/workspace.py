"""One organ's folder: its raw tables, narrative, parameters, report declaration, header mappings,
its own chapters if any, and its built reports (cookiecutter-data-science's ``config.py`` idea:
every path from one place).

The project root is the default workspace, so ``lawreport build --year 2021`` works as before;
``--workspace DIR`` builds another organ's report with the same engine. A workspace without a
``notebooks/`` or ``figures/`` folder uses the project's chapters.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from helpers import paths


@dataclass(frozen=True)
class Workspace:
    """The folders of one organ's reports."""

    root: Path

    @classmethod
    def at(cls, folder: Path | str | None = None) -> Workspace:
        """The workspace in ``folder``; ``$LAWREPORT_WORKSPACE``, else the project root."""
        folder = folder or os.environ.get("LAWREPORT_WORKSPACE") or paths.ROOT
        return cls(Path(folder).expanduser().resolve())

    @classmethod
    def of(cls, where: Workspace | Path | str | None) -> Workspace:
        """A workspace given as itself, a folder, or None (the default)."""
        return where if isinstance(where, Workspace) else cls.at(where)

    @property
    def is_project(self) -> bool:
        return self.root == paths.ROOT

    @property
    def params(self) -> Path:
        return paths.PARAMS if self.is_project else self.root / "params"

    @property
    def data(self) -> Path:
        return paths.DATA if self.is_project else self.root / "data" / "raw"

    @property
    def narrative(self) -> Path:
        return paths.NARRATIVE if self.is_project else self.root / "data" / "narrative"

    @property
    def mappings(self) -> Path:
        return self.root / "data" / "mappings"

    @property
    def reports(self) -> Path:
        return paths.REPORTS if self.is_project else self.root / "reports"

    @property
    def declaration(self) -> Path:
        """``report.yaml``: the chapters of the report, in order, by year."""
        own = self.root / "report.yaml"
        return own if own.exists() or self.is_project else paths.ROOT / "report.yaml"

    @property
    def contract(self) -> Path:
        """Tables of this organ's own chapters, one YAML file each (``contract/<table>.yaml``)."""
        return self.root / "contract"

    @property
    def figures(self) -> Path:
        """Figures modules of this organ's own chapters (``figures/<chapter>.py``)."""
        return self.root / "figures"

    @property
    def fonts(self) -> Path:
        """``fonts.yaml``: the official fonts' files by role, where the search would not find them."""
        return self.root / "fonts.yaml"

    @property
    def docx_template(self) -> Path | None:
        """``templates/reference.docx`` (or ``.dotx``): the office's Word template, if it has one."""
        for name in ("reference.docx", "reference.dotx"):
            if (self.root / "templates" / name).is_file():
                return self.root / "templates" / name
        return None

    def notebook(self, stem: str) -> Path:
        """A chapter notebook: the workspace's own, else the project's."""
        own = self.root / "notebooks" / f"{stem}.ipynb"
        return own if own.exists() else paths.NOTEBOOKS / f"{stem}.ipynb"

    def create_from_project(self, organ: str | None = None) -> list[Path]:
        """Start this workspace from the project's inputs: report.yaml, the narrative files and the
        parameters (with ``organ`` as the issuing organ). Files already there are kept."""
        written = []
        pairs = [(paths.ROOT / "report.yaml", self.root / "report.yaml")]
        pairs += [(f, self.narrative / f.name) for f in sorted(paths.NARRATIVE.glob("*.yaml"))]
        pairs += [(f, self.params / f.name) for f in sorted(paths.PARAMS.glob("*.yaml"))]
        for source, target in pairs:
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            if organ and target.parent == self.params:
                text = re.sub(r"(?m)^organ: .*$", f"organ: {organ}", text)
            target.write_text(text, encoding="utf-8")
            written.append(target)
        return written
