"""Neo4j export: `neo4j-admin database import` CSVs, a LOAD CSV script, constraints and a README.

Files go to OUT/neo4j/: nodes_<Label>.csv with `id:ID(<Label>)` and `:LABEL`, rels_<TYPE>.csv with
`:START_ID(<Label>)`, `:END_ID(<Label>)` and `:TYPE`, typed property columns (`year:int`,
`weight:double`, `matched:boolean`, `sources:string[]`). The same files feed `load.cypher`
(LOAD CSV … CALL { … } IN TRANSACTIONS) for a running server.
"""

from __future__ import annotations

from pathlib import Path

from ..graph.build import build_graph
from ..graph.schema import ENTITY_KINDS, UNDIRECTED_EDGE_TYPES
from ..model import Corpus
from .property_graph import (
    CYPHER_QUERIES,
    Column,
    write_texts,
)
from .table_files import graph_layout, write_items_csv

__all__ = ["export_neo4j", "write_neo4j", "header_field", "generate_load_cypher", "generate_constraints_cypher", "NEO4J_TYPES"]

NEO4J_TYPES = {"string": "", "int": "int", "float": "double", "bool": "boolean", "string[]": "string[]"}
# indexes beyond the unique id of every label: the properties the example queries look up
INDEXES = (("Author", "name"), ("Institution", "name"), ("Topic", "name"),
           *((k.node, "name") for k in ENTITY_KINDS),  # Task, Method, Dataset, Metric
           ("Paper", "title"), ("Paper", "year"), ("Paper", "arxiv_id"), ("Category", "notation"), ("Code", "repository"))
BATCH_ROWS = 10000
SUBDIR = "neo4j"


def header_field(column: Column) -> str:
    """The admin-import header of a property column.

    >>> header_field(Column("year", "int")), header_field(Column("lang", "string[]")), header_field(Column("name", "string"))
    ('year:int', 'lang:string[]', 'name')
    """
    suffix = NEO4J_TYPES[column.kind]
    return f"{column.name}:{suffix}" if suffix else column.name


def node_file(label: str) -> str:
    return f"nodes_{label}.csv"


def rel_file(rel: str) -> str:
    return f"rels_{rel}.csv"


def _cypher_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    return "'" + "".join(c if c.isprintable() else f"\\u{ord(c):04X}" for c in escaped) + "'"


def _read(column: Column, delimiter: str) -> str:
    """Cypher reading one LOAD CSV cell back into its type (empty → null)."""
    cell = f"row.`{header_field(column)}`"
    if column.kind == "int":
        return f"toInteger({cell})"
    if column.kind == "float":
        return f"toFloat({cell})"
    if column.kind == "bool":
        return f"toBoolean({cell})"
    if column.kind == "string[]":
        return f"CASE WHEN {cell} <> '' THEN split({cell}, {_cypher_string(delimiter)}) END"
    return f"CASE WHEN {cell} <> '' THEN {cell} END"


def _set_clause(var: str, columns, delimiter: str) -> str:
    if not columns:
        return ""
    assignments = ",\n      ".join(f"{var}.{c.name} = {_read(c, delimiter)}" for c in columns)
    return f"\n  SET {assignments}"


def generate_constraints_cypher(node_tables) -> str:
    """Unique-id constraints for every label and the lookup indexes, each IF NOT EXISTS (Neo4j 5)."""
    lines = ["// Unique ids (each also creates the index that MERGE and MATCH by id use)"]
    for table in node_tables:
        lines.append(f"CREATE CONSTRAINT {table.label.lower()}_id IF NOT EXISTS "
                     f"FOR (n:{table.label}) REQUIRE n.id IS UNIQUE;")
    lines.append("// Lookup indexes")
    labels = {t.label for t in node_tables}
    for label, prop in INDEXES:
        if label in labels:
            lines.append(f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop});")
    return "\n".join(lines) + "\n"


def generate_load_cypher(node_tables, rel_tables, delimiter: str = ";", url_prefix: str = "file:///") -> str:
    """A cypher-shell script: constraints and indexes, then every node and relationship file through
    LOAD CSV WITH HEADERS … CALL { … } IN TRANSACTIONS. MERGE makes a second run change nothing."""
    parts = [
        "// Load the kg export into a running Neo4j 5 server: copy the CSV files into the server's",
        "// import folder, then run: cypher-shell -u neo4j -p PASSWORD -f load.cypher",
        generate_constraints_cypher(node_tables).rstrip("\n"),
        "// Nodes",
    ]
    for table in node_tables:
        parts.append(
            f"LOAD CSV WITH HEADERS FROM '{url_prefix}{node_file(table.label)}' AS row\n"
            f"CALL {{\n  WITH row\n  MERGE (n:{table.label} {{id: row.`id:ID({table.label})`}})"
            f"{_set_clause('n', table.columns, delimiter)}\n"
            f"}} IN TRANSACTIONS OF {BATCH_ROWS} ROWS;"
        )
    parts.append("// Relationships")
    for table in rel_tables:
        if table.type in UNDIRECTED_EDGE_TYPES:
            # (no comment line may end in ";": a script's statements are the lines that do)
            parts.append(f"// {table.type} is undirected: one relationship per pair, from the smaller id to the larger,\n"
                         f"// whose direction means nothing: match it as (a)-[:{table.type}]-(b)")
        parts.append(
            f"LOAD CSV WITH HEADERS FROM '{url_prefix}{rel_file(table.type)}' AS row\n"
            f"CALL {{\n  WITH row\n"
            f"  MATCH (s:{table.start} {{id: row.`:START_ID({table.start})`}})\n"
            f"  MATCH (e:{table.end} {{id: row.`:END_ID({table.end})`}})\n"
            f"  MERGE (s)-[r:{table.type}]->(e)"
            f"{_set_clause('r', table.columns, delimiter)}\n"
            f"}} IN TRANSACTIONS OF {BATCH_ROWS} ROWS;"
        )
    return "\n".join(parts) + "\n"


def _admin_delimiter(delimiter: str) -> str:
    return delimiter if delimiter.isprintable() else f"U+{ord(delimiter):04X}"


def generate_readme(node_tables, rel_tables, delimiter: str) -> str:
    nodes = " \\\n  ".join(f"--nodes={node_file(t.label)}" for t in node_tables)
    rels = " \\\n  ".join(f"--relationships={rel_file(t.type)}" for t in rel_tables)
    counts = "\n".join(f"| `{node_file(t.label)}` | `:{t.label}` | {t.row_count} |" for t in node_tables)
    rel_counts = "\n".join(f"| `{rel_file(t.type)}` | `(:{t.start})-[:{t.type}]-{'' if t.type in UNDIRECTED_EDGE_TYPES else '>'}"
                           f"(:{t.end})` | {t.row_count} |" for t in rel_tables)
    queries = "\n\n".join(
        f"**{q.name}** — {q.description}\n\n```cypher\n{q.text}\n```" for q in CYPHER_QUERIES
    )
    example = CYPHER_QUERIES[0]
    params = ", ".join(f"{k}: '{v}'" for k, v in example.params.items())
    one_line = " ".join(example.text.split())
    return f"""# kg graph for Neo4j

Files written by `kg export neo4j`. Every file is UTF-8 CSV with a header row, `,` between fields,
`"` quoting (a `"` inside a field is doubled) and `{_admin_delimiter(delimiter)}` between the elements of an array
(`:string[]` columns). Fields may hold line breaks inside quotes: pass `--multiline-fields=true`.

| File | Label | Rows |
|---|---|---|
{counts}

| File | Relationship | Rows |
|---|---|---|
{rel_counts}

Every node has `id` (unique per label; the same string as in `papers.jsonl` and `graph.json`), `name`
(what the node is called: a paper's title, an author's name, a topic's words) and `sources`
(`file:line` of the digest entries it comes from). `HAS_AUTHOR` has `position`, the place in the
byline counted from 1 (the first author is 1). `CO_AUTHOR` and `CO_OCCURS` are undirected, but Neo4j
has no undirected relationships: each pair is stored once, from the smaller id to the larger, and
that direction means nothing. Match them without a direction, `(a)-[:CO_AUTHOR]-(b)`; a directed
pattern such as `(a)-[:CO_AUTHOR]->(b)` finds only the pairs where `a` has the smaller id.

## Spreadsheet-safe cells

A text cell that starts with `=`, `+`, `-`, `@`, a tab, a carriage return or `'` is written with one
extra leading `'`, so that a spreadsheet opening the file shows the text instead of running it as a
formula (CSV injection). The database receives the cell as written, apostrophe included; drop one
leading `'` from such a value to get the original. Numbers and booleans are never changed.

## Offline bulk import (empty database, fastest)

Stop the server, then from this folder (Neo4j 5):

```sh
neo4j-admin database import full \\
  --overwrite-destination \\
  --id-type=string \\
  --multiline-fields=true \\
  --array-delimiter="{_admin_delimiter(delimiter)}" \\
  {nodes} \\
  {rels} \\
  neo4j
```

(Neo4j 4.4: `neo4j-admin import --database=neo4j --force` with the same `--nodes`, `--relationships`,
`--multiline-fields` and `--array-delimiter` options.) Start the server and create the constraints
and indexes:

```sh
cypher-shell -u neo4j -p PASSWORD -f constraints.cypher
```

## Online load into a running server

Copy the CSV files into the server's import folder (`$NEO4J_HOME/import`, or `/var/lib/neo4j/import`
in the Docker image), then:

```sh
cp *.csv "$NEO4J_HOME/import/"
cypher-shell -u neo4j -p PASSWORD -f load.cypher
```

Before running it, set `dbms.import.csv.legacy_quote_escaping=false` in `neo4j.conf`: with its
default (`true`) `LOAD CSV` takes `\\"` inside a quoted field for an escaped quote and misreads a
value that holds a backslash before a quote (the files are RFC 4180: a quote is escaped by doubling it).

`load.cypher` creates the constraints and indexes first, then loads each file with
`LOAD CSV WITH HEADERS … CALL {{ … }} IN TRANSACTIONS OF {BATCH_ROWS} ROWS` using `MERGE`, so running it
twice changes nothing.

## Queries

They are written in the Cypher subset that Neo4j 5 and LadybugDB share, and kg's tests run the same
text on the LadybugDB export (`kg export ladybug-db`); it is also in `queries.cypher`. With cypher-shell, pass parameters with `-P`:

```sh
cypher-shell -u neo4j -p PASSWORD -P "{{{params}}}" "{one_line}"
```

{queries}
"""


def generate_queries_cypher() -> str:
    parts = []
    for q in CYPHER_QUERIES:
        params = ", ".join(f"{k}: {v!r}" for k, v in q.params.items())
        parts.append(f"// {q.name}: {q.description}" + (f" Parameters, e.g. {{{params}}}" if params else ""))
        parts.append(q.text + ";")
    return "\n".join(parts) + "\n"


def write_neo4j(corpus: Corpus, out_dir, graph=None) -> list[str]:
    """Write the neo4j-admin import CSVs, load.cypher, constraints.cypher, queries.cypher and README.md
    into `out_dir`/neo4j; returns the paths written.

    Parameters
    ----------
    corpus : Corpus
        The resolved corpus (its graph is built with `kg.graph.build.build_graph`).
    out_dir : path
        The export folder; files go to its `neo4j/` subfolder.
    graph : networkx.MultiDiGraph, optional
        The corpus graph when the caller has it already.
    """
    folder = Path(out_dir) / SUBDIR
    graph = graph if graph is not None else build_graph(corpus)
    layout = graph_layout(graph)
    node_tables, rel_tables, delimiter = layout.nodes, layout.rels, layout.delimiter
    written: list[str] = []
    for table in node_tables:
        header = [f"id:ID({table.label})", ":LABEL", *(header_field(c) for c in table.columns)]
        written += write_items_csv(folder / node_file(table.label), graph, header, table, layout, table.label)[0]
    for table in rel_tables:
        header = [f":START_ID({table.start})", f":END_ID({table.end})", ":TYPE", *(header_field(c) for c in table.columns)]
        written += write_items_csv(folder / rel_file(table.type), graph, header, table, layout, table.type)[0]
    texts = {
        "constraints.cypher": generate_constraints_cypher(node_tables),
        "load.cypher": generate_load_cypher(node_tables, rel_tables, delimiter),
        "queries.cypher": generate_queries_cypher(),
        "README.md": generate_readme(node_tables, rel_tables, delimiter),
    }
    return written + write_texts(folder, texts)


def export_neo4j(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    """The `neo4j` target (kg.export.ExportFunction): write_neo4j into out_dir/neo4j/."""
    return write_neo4j(corpus, out_dir, graph)
