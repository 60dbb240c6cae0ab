"""LadybugDB export (the maintained Kùzu fork; PyPI `real-ladybug`, module `real_ladybug`).

OUT/ladybug/ gets schema.cypher (CREATE NODE TABLE / CREATE REL TABLE with typed columns), one CSV
per table, copy.cypher (COPY … FROM the CSVs), queries.cypher and a README. `create_ladybug_database`
runs both scripts into a database file; the `ladybug-db` target also writes OUT/ladybug/graph.lbdb.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import KgError
from ..graph.build import build_graph
from ..model import Corpus
from . import register_exporter
from .property_graph import (
    CYPHER_QUERIES,
    Column,  # noqa: F401  (used by the doctests)
    NodeTable,
    RelTable,
    format_cell,
    graph_tables,
    write_csv,
    write_texts,
)

__all__ = ["write_ladybug", "create_ladybug_database", "generate_schema_cypher", "generate_copy_cypher",
           "LADYBUG_TYPES", "DATABASE_FILE"]

LADYBUG_TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE", "bool": "BOOLEAN", "string[]": "STRING[]"}
DATABASE_FILE = "graph.lbdb"  # LadybugDB keeps a database in one file (plus a .wal while it is open)
SUBDIR = "ladybug"
FROM_COLUMN, TO_COLUMN = "from_id", "to_id"
CSV_OPTIONS = "HEADER=true, DELIM=',', QUOTE='\"', ESCAPE='\"', AUTO_DETECT=false"


def node_file(label: str) -> str:
    return f"nodes_{label}.csv"


def rel_file(rel: str) -> str:
    return f"rels_{rel}.csv"


def _q(name: str) -> str:
    """A backquoted identifier: column names never clash with Cypher keywords."""
    return "`" + name.replace("`", "``") + "`"


def _string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def generate_schema_cypher(node_tables, rel_tables) -> str:
    """CREATE NODE TABLE / CREATE REL TABLE statements (IF NOT EXISTS), one per line.

    >>> t = NodeTable("Paper", (Column("year", "int"),), ())
    >>> print(generate_schema_cypher([t], []), end="")
    CREATE NODE TABLE IF NOT EXISTS `Paper`(`id` STRING PRIMARY KEY, `year` INT64);
    """
    lines = []
    for t in node_tables:
        cols = ", ".join([f"{_q('id')} STRING PRIMARY KEY", *(f"{_q(c.name)} {LADYBUG_TYPES[c.kind]}" for c in t.columns)])
        lines.append(f"CREATE NODE TABLE IF NOT EXISTS {_q(t.label)}({cols});")
    for t in rel_tables:
        cols = ", ".join([f"FROM {_q(t.start)} TO {_q(t.end)}", *(f"{_q(c.name)} {LADYBUG_TYPES[c.kind]}" for c in t.columns)])
        lines.append(f"CREATE REL TABLE IF NOT EXISTS {_q(t.type)}({cols});")
    return "\n".join(lines) + "\n"


def _copy(table: str, file: str, keys: list[str], columns, delimiter: str, multiline: bool) -> str:
    # Read every column as declared (no type sniffing), split arrays on the delimiter, then COPY.
    declared = ", ".join([*(f"{_q(k)} STRING" for k in keys),
                          *(f"{_q(c.name)} {'STRING' if c.kind == 'string[]' else LADYBUG_TYPES[c.kind]}" for c in columns)])
    returned = ", ".join([*(_q(k) for k in keys),
                          *(f"string_split({_q(c.name)}, {_string(delimiter)})" if c.kind == "string[]" else _q(c.name)
                            for c in columns)])
    # The dialect is stated: LadybugDB otherwise sniffs it from the first rows, and a cell such as
    # '''' makes it take ' for the quote character. Quoted line breaks need the serial reader.
    options = CSV_OPTIONS + (", PARALLEL=false" if multiline else "")
    return f"COPY {_q(table)} FROM (LOAD WITH HEADERS ({declared}) FROM {_string(file)} ({options}) RETURN {returned});"


def generate_copy_cypher(node_tables, rel_tables, delimiter: str = ";", multiline: frozenset = frozenset()) -> str:
    """COPY statements, nodes first, one per line; file names are relative to the ladybug folder.

    `multiline` names the files whose cells hold line breaks (read with PARALLEL=false).
    """
    lines = []
    for t in node_tables:
        f = node_file(t.label)
        lines.append(_copy(t.label, f, ["id"], t.columns, delimiter, f in multiline))
    for t in rel_tables:
        f = rel_file(t.type)
        lines.append(_copy(t.type, f, [FROM_COLUMN, TO_COLUMN], t.columns, delimiter, f in multiline))
    return "\n".join(lines) + "\n"


def _node_rows(table: NodeTable, delimiter: str):
    for nid, *values in table.rows:
        yield [format_cell(nid, "string"), *(format_cell(v, c.kind, delimiter) for v, c in zip(values, table.columns))]


def _rel_rows(table: RelTable, delimiter: str):
    for start, end, *values in table.rows:
        yield [format_cell(start, "string"), format_cell(end, "string"),
               *(format_cell(v, c.kind, delimiter) for v, c in zip(values, table.columns))]


def generate_readme(node_tables, rel_tables, delimiter: str) -> str:
    counts = "\n".join(f"| `{node_file(t.label)}` | node table `{t.label}` | {len(t.rows)} |" for t in node_tables)
    rel_counts = "\n".join(f"| `{rel_file(t.type)}` | rel table `{t.type}` ({t.start} → {t.end}) | {len(t.rows)} |"
                           for t in rel_tables)
    queries = "\n\n".join(f"**{q.name}** — {q.description}\n\n```cypher\n{q.text}\n```" for q in CYPHER_QUERIES)
    shown = repr(delimiter) if delimiter.isprintable() else f"U+{ord(delimiter):04X}"
    return f"""# kg graph for LadybugDB

Files written by `kg export ladybug` (and `kg export ladybug-db`, which also builds `{DATABASE_FILE}`).
LadybugDB is the maintained fork of Kùzu: an embedded graph database queried with Cypher
(`pip install real-ladybug`, Python module `real_ladybug`).

| File | Table | Rows |
|---|---|---|
{counts}
{rel_counts}

* `schema.cypher` — `CREATE NODE TABLE` / `CREATE REL TABLE` with typed columns (`STRING`, `INT64`,
  `DOUBLE`, `BOOLEAN`, `STRING[]`); every node table has the primary key `id`.
* `copy.cypher` — one `COPY … FROM (LOAD WITH HEADERS (…) FROM 'file.csv' …)` per table: columns are
  read with their declared types and arrays split on {shown}. File names are relative: run it from
  this folder. Files with line breaks inside quoted cells are read with `PARALLEL=false`.
* `queries.cypher` — the example queries below.

Cells are CSV-injection safe: a text cell starting with `=`, `+`, `-`, `@`, a tab, a carriage
return or `'` carries one extra leading `'` (drop it to get the original text).

## Create the database

With the Python package (what `kg export ladybug-db` does):

```sh
kg export ladybug-db --graph exports --out exports      # → exports/ladybug/{DATABASE_FILE}
```

```python
from kg.export.ladybug import create_ladybug_database
create_ladybug_database("exports/ladybug", "exports/ladybug/{DATABASE_FILE}")
```

or by hand, from this folder:

```python
import real_ladybug as lb
conn = lb.Connection(lb.Database("{DATABASE_FILE}"))
for script in ("schema.cypher", "copy.cypher"):
    for statement in open(script, encoding="utf-8").read().split(";\\n"):
        if statement.strip():
            conn.execute(statement)
```

With the LadybugDB command-line shell (`lbug`, a separate download; not tried by kg's tests), from this folder:

```sh
cat schema.cypher copy.cypher | lbug {DATABASE_FILE}
```

## Query it

```python
import real_ladybug as lb
conn = lb.Connection(lb.Database("{DATABASE_FILE}", read_only=True))
result = conn.execute("MATCH (a:Author {{name: $author}})-[c:CO_AUTHOR]-(b:Author) RETURN b.name, c.weight",
                      {{"author": "D Dai"}})
while result.has_next():
    print(result.get_next())
```

Symmetric relationships (`CO_AUTHOR`, `CO_OCCURS`) are stored once, from the smaller id to the
larger: match them without a direction. The queries are in the Cypher subset that LadybugDB and
Neo4j 5 share: the same text is in the Neo4j export's README.

{queries}
"""


def write_ladybug(corpus: Corpus, out_dir, graph=None) -> list[str]:
    """Write schema.cypher, copy.cypher, queries.cypher, README.md and one CSV per table into
    `out_dir`/ladybug; returns the paths written.

    Parameters
    ----------
    corpus : Corpus
        The resolved corpus (its graph is built with `kg.graph.build.build_graph`).
    out_dir : path
        The export folder; files go to its `ladybug/` subfolder.
    graph : networkx.MultiDiGraph, optional
        The corpus graph when the caller has it already.
    """
    from .neo4j import generate_queries_cypher

    folder = Path(out_dir) / SUBDIR
    node_tables, rel_tables, delimiter = graph_tables(graph if graph is not None else build_graph(corpus))
    written: list[str] = []
    multiline: set[str] = set()
    for t in node_tables:
        paths, broken = write_csv(folder / node_file(t.label), ["id", *(c.name for c in t.columns)], _node_rows(t, delimiter))
        written += paths
        if broken:
            multiline.add(node_file(t.label))
    for t in rel_tables:
        header = [FROM_COLUMN, TO_COLUMN, *(c.name for c in t.columns)]
        paths, broken = write_csv(folder / rel_file(t.type), header, _rel_rows(t, delimiter))
        written += paths
        if broken:
            multiline.add(rel_file(t.type))
    texts = {
        "schema.cypher": generate_schema_cypher(node_tables, rel_tables),
        "copy.cypher": generate_copy_cypher(node_tables, rel_tables, delimiter, frozenset(multiline)),
        "queries.cypher": generate_queries_cypher(),
        "README.md": generate_readme(node_tables, rel_tables, delimiter),
    }
    return written + write_texts(folder, texts)


def _statements(text: str) -> list[str]:
    """Statements of a script written by this module: each ends with ";" at the end of a line."""
    statements, current = [], []
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("//")):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    if current:
        statements.append("\n".join(current))
    return statements


def _absolute_files(statement: str, folder: Path) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1).replace("\\'", "'").replace("\\\\", "\\")
        return "FROM " + _string(str((folder / name).resolve()))

    return re.sub(r"FROM '((?:[^'\\]|\\.)+\.csv)'", replace, statement)


def _remove_database(path: Path) -> None:
    import shutil

    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        wal.unlink()


def create_ladybug_database(out_dir, db_path, buffer_pool_size: int = 0) -> str:
    """Create a LadybugDB database at `db_path` from the files `write_ladybug` wrote.

    Runs `schema.cypher` then `copy.cypher` (CSV paths made absolute) into a new database built
    beside `db_path` and renamed over it when complete, so a failed load leaves the old one.

    Parameters
    ----------
    out_dir : path
        The folder holding schema.cypher, copy.cypher and the CSVs (or the export folder above it).
    db_path : path
        The database file to create; an existing one is replaced.
    buffer_pool_size : int
        Bytes of LadybugDB buffer pool; 0 leaves the library default (most of the memory).

    Returns
    -------
    str
        `db_path`.

    Raises
    ------
    KgError
        When `real-ladybug` is not installed, the scripts are missing, or a statement fails.
    """
    try:
        import real_ladybug as lb
    except ImportError:
        raise KgError("LadybugDB is not installed: pip install real-ladybug") from None
    folder = Path(out_dir)
    if not (folder / "schema.cypher").exists() and (folder / SUBDIR / "schema.cypher").exists():
        folder = folder / SUBDIR
    try:
        scripts = [(folder / name).read_text(encoding="utf-8") for name in ("schema.cypher", "copy.cypher")]
    except FileNotFoundError as exc:
        raise KgError(f"no LadybugDB scripts in {folder}: run `kg export ladybug` first ({exc.filename})") from None
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    _remove_database(tmp)
    database = lb.Database(str(tmp), buffer_pool_size=buffer_pool_size)
    try:
        connection = lb.Connection(database)
        try:
            for script in scripts:
                for statement in _statements(script):
                    try:
                        connection.execute(_absolute_files(statement, folder))
                    except RuntimeError as exc:
                        raise KgError(f"LadybugDB rejected {statement.split('(')[0]!r}: {exc}") from None
        finally:
            connection.close()
    except BaseException:
        database.close()
        _remove_database(tmp)
        raise
    database.close()
    _remove_database(db_path)
    os.replace(tmp, db_path)
    return str(db_path)


@register_exporter("ladybug", "LadybugDB (Kùzu fork): schema.cypher, COPY CSVs, copy.cypher, README → ladybug/", reads_tables=True)
def _write(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    return write_ladybug(corpus, out_dir, graph)


@register_exporter("ladybug-db", f"LadybugDB files as `ladybug`, plus the database itself → ladybug/{DATABASE_FILE}", reads_tables=True)
def _write_db(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    written = write_ladybug(corpus, out_dir, graph)
    folder = Path(out_dir) / SUBDIR
    return written + [create_ladybug_database(folder, folder / DATABASE_FILE)]
