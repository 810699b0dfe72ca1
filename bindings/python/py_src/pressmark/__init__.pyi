from ._pressmark import (
    MAX_TEXT_BYTES as MAX_TEXT_BYTES,
    Document as Document,
    Entity as Entity,
    EntityIndexEntry as EntityIndexEntry,
    Money as Money,
    Quote as Quote,
    Span as Span,
    __version__ as __version__,
    annotate as annotate,
    annotate_many as annotate_many,
)
from .arrow import annotate_arrow as annotate_arrow, arrow_schema as arrow_schema
