"""法治政府建设年度报告: raw tables → contract and loader → figures → chapter notebooks → report.

Modules, in the order data flows through them:
``contract`` and ``loader`` (raw tables), ``stats`` and ``fmt`` (calculations and Chinese
writing of numbers), ``figures`` (each chapter's figures), ``report`` and ``charts`` (what a
notebook shows), ``execute``, ``assemble``, ``pdf`` and ``build`` (the yearly run), ``cli``.
``sample`` writes calibrated sample data and is the only module that knows published figures.
"""

__version__ = "0.1.0"

from helpers.data import allocator as _allocator

_allocator.choose()  # before any table is read (helpers.data.allocator says why)
