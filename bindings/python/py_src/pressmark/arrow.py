"""Annotations as Arrow columns (needs pyarrow): ``pressmark.annotate_arrow``.

The binding builds the columns' buffers in Rust without the GIL (``_pressmark._annotate_columns``);
this module wraps them in pyarrow arrays without copying them. No dict per entity or quote is
made, which is what lets a Spark or Arrow pipeline annotate at the speed of the annotation itself.
"""

from typing import TYPE_CHECKING, Iterable, Optional

from ._pressmark import _annotate_columns

if TYPE_CHECKING:
    import pyarrow

COLUMNS = ("entities", "entities_index", "quotes", "scare_quotes")


def arrow_schema() -> "pyarrow.Schema":
    """The default schema of ``annotate_arrow``'s batches: the CLI's fields with an entity's
    ``value`` as a struct ``{date, number, currency}`` and the flags the CLI prints only when true
    (``relative``, ``partial``, ``open_end``, ``headline``, ``nested``) as true or null."""
    import pyarrow as pa

    span = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("text", pa.string())])
    entity = pa.struct(
        [
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("label", pa.string()),
            ("text", pa.string()),
            ("confidence", pa.float64()),
            ("entity_id", pa.int32()),
            ("value", pa.struct([("date", pa.string()), ("number", pa.float64()), ("currency", pa.string())])),
            ("relative", pa.bool_()),
        ]
    )
    cluster = pa.struct([("id", pa.int32()), ("name", pa.string()), ("label", pa.string()), ("mentions", pa.int32())])
    quote = pa.struct(
        [
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("text", pa.string()),
            ("speaker", span),
            ("speaker_name", pa.string()),
            ("speaker_entity_id", pa.int32()),
            ("cue", span),
            ("direct", pa.bool_()),
            ("partial", pa.bool_()),
            ("open_end", pa.bool_()),
            ("headline", pa.bool_()),
            ("nested", pa.bool_()),
            ("group", pa.int32()),
            ("confidence", pa.float64()),
        ]
    )
    return pa.schema(
        [
            ("entities", pa.list_(entity)),
            ("entities_index", pa.list_(cluster)),
            ("quotes", pa.list_(quote)),
            ("scare_quotes", pa.list_(span)),
        ]
    )


def annotate_arrow(
    texts: Iterable[str], threads: Optional[int] = 1, schema: "Optional[pyarrow.Schema]" = None
) -> "pyarrow.RecordBatch":
    """Annotates every text of an iterable of ``str`` (on ``threads`` threads, the calling one by
    default; None: every core) into a ``pyarrow.RecordBatch``, one row per text, in input order.

    ``schema`` (default ``arrow_schema()``) may name any of the four columns, in any order, with
    any field names of the default's that the caller wants (a Spark schema's, say: nested fields
    are found by name, lists may name their item field as they like, and numbers and strings
    are cast to the schema's types). Errors as ``annotate_many``'s.
    """
    import pyarrow as pa

    if schema is None:
        schema = arrow_schema()
    nodes = _annotate_columns(texts, threads)
    arrays = []
    for field in schema:
        if field.name not in COLUMNS:
            raise ValueError(f"annotate_arrow makes the columns {', '.join(COLUMNS)}, not {field.name!r}")
        arrays.append(_array(pa, nodes[field.name], field.type, field.name))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


_LEAVES = {"i": "int32", "d": "float64", "b": "bool_", "s": "string"}


def _array(pa, node, type_, path):
    kind, length, nulls, buffers, children = node
    buffers = [None if b is None else pa.py_buffer(b) for b in buffers]
    if kind == "struct":
        if not pa.types.is_struct(type_):
            raise TypeError(f"{path} is a struct, not {type_}")
        fields = []
        for field in type_:
            if field.name not in children:
                raise ValueError(f"{path} has no field {field.name!r}")
            fields.append(_array(pa, children[field.name], field.type, f"{path}.{field.name}"))
        return pa.Array.from_buffers(type_, length, buffers, nulls, children=fields)
    if kind == "list":
        if not pa.types.is_list(type_):
            raise TypeError(f"{path} is a list, not {type_}")
        item = _array(pa, children["item"], type_.value_type, f"{path}[]")
        return pa.Array.from_buffers(type_, length, buffers, nulls, children=[item])
    made = getattr(pa, _LEAVES[kind])()
    array = pa.Array.from_buffers(made, length, buffers, nulls)
    return array if made == type_ else array.cast(type_)
