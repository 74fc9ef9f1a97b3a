"""The data contract: every raw table the report reads, as code the loader enforces.

One module per part of the report registers its tables, imported here in report order.
``data/README.md`` (the data dictionary) is generated from the registry by
``lawreport dictionary``; a test keeps the two equal.
"""

# isort: skip_file
from helpers.data.contract.base import TABLES, TYPES, YES_NO, Column, Table, register
from helpers.data.contract import study  # noqa: F401  (一(一) and 二)
from helpers.data.contract import epidemic  # noqa: F401  (一(二))
from helpers.data.contract import safety  # noqa: F401  (一(三))
from helpers.data.contract import enforcement  # noqa: F401  (一(四))
from helpers.data.contract import reconsideration  # noqa: F401  (行政复议和行政应诉, from 2023)
from helpers.data.contract import services  # noqa: F401  (一(五))

__all__ = ["TABLES", "TYPES", "YES_NO", "Column", "Table", "register"]
