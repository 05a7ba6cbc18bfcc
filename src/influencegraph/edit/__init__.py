"""Growing the graph: new entities and influence claims, appended to a data file.

:mod:`.draft` checks inputs and builds them as triples, :mod:`.writer` appends them to a
Turtle or N-Triples file (checked, validated, atomic), :mod:`.tabular` imports a CSV.
"""

from ..dates import date_literal
from .draft import (
    ADDABLE_TYPES,
    WORK_TYPES,
    Block,
    ClaimSpec,
    Draft,
    EntitySpec,
    Problem,
    copy_graph,
    mint_iri,
    slugify,
)
from .tabular import (
    ALT_LABEL_SEPARATOR,
    CLAIM_COLUMNS,
    COLUMNS,
    ENTITY_COLUMNS,
    REQUIRED_COLUMNS,
    REVIEW_COLUMNS,
    CsvTable,
    claim_spec,
    entity_spec,
    import_csv,
    read_table,
)
from .writer import (
    WRITABLE_FORMATS,
    EditResult,
    add_claim,
    add_entity,
    declared_prefixes,
    edit_target,
    quote_string,
    render_ntriples,
    render_turtle,
    write_draft,
)

__all__ = [
    "ADDABLE_TYPES",
    "ALT_LABEL_SEPARATOR",
    "CLAIM_COLUMNS",
    "COLUMNS",
    "ENTITY_COLUMNS",
    "REQUIRED_COLUMNS",
    "REVIEW_COLUMNS",
    "WORK_TYPES",
    "WRITABLE_FORMATS",
    "Block",
    "ClaimSpec",
    "CsvTable",
    "Draft",
    "EditResult",
    "EntitySpec",
    "Problem",
    "add_claim",
    "add_entity",
    "claim_spec",
    "copy_graph",
    "date_literal",
    "declared_prefixes",
    "edit_target",
    "entity_spec",
    "import_csv",
    "mint_iri",
    "quote_string",
    "read_table",
    "render_ntriples",
    "render_turtle",
    "slugify",
    "write_draft",
]
