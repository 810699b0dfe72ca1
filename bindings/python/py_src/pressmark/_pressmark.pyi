# Type stubs for the extension module (bindings/python/src/lib.rs). The schema is the CLI's wire
# schema (src/output.rs); keys marked NotRequired appear only when they apply.
from typing import Any, Dict, Iterable, List, Literal, Optional, TypedDict, Union

from typing_extensions import NotRequired

Label = Literal["PER", "ORG", "LOC", "MISC", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL"]

class Money(TypedDict):
    amount: float
    currency: Optional[str]  # ISO 4217

class Entity(TypedDict):
    start: int
    end: int
    label: Label
    text: str
    confidence: float
    entity_id: int  # index into entities_index
    value: NotRequired[Union[str, float, Money]]  # DATE: ISO 8601; PERCENT: number; MONEY
    relative: NotRequired[bool]  # an unresolved relative date

class EntityIndexEntry(TypedDict):
    id: int
    name: str
    label: Label
    mentions: int

class Span(TypedDict):
    start: int
    end: int
    text: str

class Quote(TypedDict):
    start: int
    end: int
    text: str
    speaker: Optional[Span]
    speaker_name: Optional[str]
    speaker_entity_id: NotRequired[int]
    cue: Optional[Span]
    direct: bool
    partial: NotRequired[bool]
    open_end: NotRequired[bool]
    headline: NotRequired[bool]
    nested: NotRequired[bool]
    group: NotRequired[int]
    confidence: float

class Document(TypedDict):
    entities: List[Entity]
    entities_index: List[EntityIndexEntry]
    quotes: List[Quote]
    scare_quotes: List[Span]

MAX_TEXT_BYTES: int
__version__: str

def annotate(text: str) -> Document:
    """Annotates one text. Offsets are str indices (code points), end exclusive.

    Raises TypeError if text is not a str, ValueError if it holds a lone surrogate or is over
    MAX_TEXT_BYTES of UTF-8.
    """

def annotate_many(texts: Iterable[str], threads: Optional[int] = None) -> List[Document]:
    """Annotates every text on `threads` threads (every core when None), without holding the GIL,
    while the calling thread turns the finished documents into dicts.

    Returns one Document per text, in input order. Raises TypeError if texts is a str or holds a
    non-str, ValueError for a bad text (as annotate) or threads < 1, and KeyboardInterrupt (or
    what a signal handler raises) on Ctrl-C, within a few documents.
    """

def _annotate_columns(texts: Iterable[str], threads: Optional[int] = 1) -> Dict[str, Any]:
    """The Arrow buffers behind pressmark.annotate_arrow (private: use that)."""
