"""The yearly run: keys and reuse, chapter notebooks in kernels, processes, publishing."""

import sys

# nbformat (read by papermill and nbconvert in every process that runs or converts a chapter)
# imports jsonschema, which imports rfc3987-syntax when it is installed (JupyterLab brings it):
# 2.2 s building a grammar at import (python-jsonschema/jsonschema#1392, #1521), for the "iri"
# string format, which no notebook schema uses. Marking it absent makes jsonschema skip that
# one format check in the build's processes; kernels and JupyterLab are not affected.
sys.modules.setdefault("rfc3987_syntax", None)
