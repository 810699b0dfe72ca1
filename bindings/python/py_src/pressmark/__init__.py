"""pressmark: who and what a news article names, and every quote with its speaker.

>>> import pressmark
>>> doc = pressmark.annotate("“We are done,” said Jane Smith, the mayor of Springfield.")
>>> [(e["text"], e["label"]) for e in doc["entities"]]
[('Jane Smith', 'PER'), ('Springfield', 'LOC')]
>>> doc["quotes"][0]["speaker_name"]
'Jane Smith'

Offsets are ``str`` indices: ``text[e["start"]:e["end"]] == e["text"]``. The schema is the
command line's (``pressmark annotate --jsonl``), documented in the project's README.
"""

from ._pressmark import MAX_TEXT_BYTES, __version__, annotate, annotate_many
from .arrow import annotate_arrow, arrow_schema

__all__ = ["annotate", "annotate_many", "annotate_arrow", "arrow_schema", "MAX_TEXT_BYTES", "__version__"]
