"""LadybugDB export (the maintained Kùzu fork; PyPI `real-ladybug`, module `real_ladybug`).

OUT/ladybug/ gets schema.cypher (CREATE NODE TABLE / CREATE REL TABLE with typed columns), one CSV
per table, copy.cypher (COPY … FROM the CSVs), queries.cypher and a README. `create_ladybug_database`
runs both scripts into a database file; the `ladybug-db` target also writes OUT/ladybug/graph.lbdb.

A database is something a user may load, query and edit, so kg never deletes one silently: beside
each database it writes, `graph.lbdb.sha256` records its digest (sha256sum's format). A database
kg is about to replace that has no such record, or no longer matches it (changed since, or open:
a `.wal` beside it), is kept as `graph.lbdb.bak-N` and one warning line names it
(`create_ladybug_database`, and `keep_databases` for kg build, which replaces the whole folder).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from ..errors import KgError
from ..graph.build import build_graph
from ..graph.schema import UNDIRECTED_EDGE_TYPES
from ..model import Corpus
from ..util.atomic import atomic_open
from ..util.files import sha256_of
from .property_graph import (
    CYPHER_QUERIES,
    Column,  # noqa: F401  (used by the doctests)
    NodeTable,  # noqa: F401
    write_texts,
)
from .table_files import graph_layout, write_items_csv

__all__ = ["export_ladybug", "export_ladybug_db", "write_ladybug", "create_ladybug_database", "keep_databases",
           "database_state", "generate_schema_cypher", "generate_copy_cypher", "LADYBUG_TYPES", "DATABASE_FILE", "STAMP_SUFFIX"]

LADYBUG_TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE", "bool": "BOOLEAN", "string[]": "STRING[]"}
DATABASE_FILE = "graph.lbdb"  # LadybugDB keeps a database in one file (plus a .wal while it is open)
STAMP_SUFFIX = ".sha256"  # graph.lbdb.sha256: the digest of the database as kg wrote it
_log = logging.getLogger(__name__)
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


def generate_readme(node_tables, rel_tables, delimiter: str) -> str:
    counts = "\n".join(f"| `{node_file(t.label)}` | node table `{t.label}` | {t.row_count} |" for t in node_tables)
    rel_counts = "\n".join(f"| `{rel_file(t.type)}` | rel table `{t.type}` ({t.start} "
                           f"{'— ' + t.end + ', undirected' if t.type in UNDIRECTED_EDGE_TYPES else '→ ' + t.end}) | {t.row_count} |"
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
* `{DATABASE_FILE}.sha256` (with `kg export ladybug-db`) — the digest of `{DATABASE_FILE}` as kg wrote it.
  kg replaces a database silently only while it still has that digest: one you changed (or opened
  read-write: LadybugDB rewrites the file on closing; `read_only=True` does not) or that kg did not
  write is kept as `{DATABASE_FILE}.bak-N` by the next export or build, with one line saying so.

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

`HAS_AUTHOR` has `position`, the place in the byline counted from 1 (the first author is 1).
`CO_AUTHOR` and `CO_OCCURS` are undirected: a LadybugDB rel table has a direction, so each pair is
stored once, from the smaller id to the larger, and that direction means nothing. Match them without
a direction, `(a)-[:CO_AUTHOR]-(b)`. The queries are in the Cypher subset that LadybugDB and Neo4j 5
share: the same text is in the Neo4j export's README.

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
    graph = graph if graph is not None else build_graph(corpus)
    layout = graph_layout(graph)
    node_tables, rel_tables, delimiter = layout.nodes, layout.rels, layout.delimiter
    written: list[str] = []
    multiline: set[str] = set()
    for t in node_tables:
        paths, broken = write_items_csv(folder / node_file(t.label), graph, ["id", *(c.name for c in t.columns)], t, layout)
        written += paths
        if broken:
            multiline.add(node_file(t.label))
    for t in rel_tables:
        header = [FROM_COLUMN, TO_COLUMN, *(c.name for c in t.columns)]
        paths, broken = write_items_csv(folder / rel_file(t.type), graph, header, t, layout)
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

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    for extra in (_wal(path), _stamp(path)):
        if extra.exists() or extra.is_symlink():
            extra.unlink()


def _wal(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def _stamp(db: Path) -> Path:
    return db.with_name(db.name + STAMP_SUFFIX)


def _write_stamp(db: Path, digest: str) -> str:
    """`db`.sha256 in sha256sum's format (`sha256sum -c graph.lbdb.sha256` checks it)."""
    with atomic_open(_stamp(db)) as handle:
        handle.write(f"{digest}  {db.name}\n")
    return str(_stamp(db))


def database_state(db) -> str:
    """What a database file is to kg: "missing"; "kg" (as kg wrote it: its digest is the one in
    `db`.sha256, and no .wal is beside it); "changed" (kg wrote it, but it changed since or is open:
    opening it read-write counts, LadybugDB rewrites the file when it closes); "foreign" (no
    readable digest beside it, or not a plain file: kg did not write it)."""
    db = Path(db)
    if not (db.exists() or db.is_symlink()):
        return "missing"
    try:
        recorded = _stamp(db).read_text(encoding="ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        return "foreign"
    if db.is_symlink() or not db.is_file():
        return "foreign"
    if _wal(db).exists() or sha256_of(db) != recorded:
        return "changed"
    return "kg"


_BACKUP = re.compile(r"\.bak-([0-9]+)$")


def _backups(db_name: str, folder: Path) -> list[str]:
    """Names of the kept databases (`db_name`.bak-N) in `folder`, without their .wal files."""
    if not folder.is_dir():
        return []
    prefix = db_name + ".bak-"
    return sorted(n for n in os.listdir(folder) if n.startswith(prefix) and n[len(prefix):].isdigit())


def _set_aside(db: Path, folder: Path, *others: Path) -> Path:
    """Move the database `db` (and its .wal) to `folder`/NAME.bak-N, N one more than the highest
    in `folder` and `others`; its digest record goes (it no longer describes anything). Returns
    the new path."""
    taken = [int(_BACKUP.search(n).group(1)) for f in (folder, *others) for n in _backups(db.name, f)]
    backup = folder / f"{db.name}.bak-{max(taken, default=0) + 1}"
    os.replace(db, backup)
    if _wal(db).exists():
        os.replace(_wal(db), _wal(backup))
    if _stamp(db).exists():
        _stamp(db).unlink()
    return backup


def _kept_line(state: str, db: Path, backup: Path) -> str:
    why = "was not written by kg" if state == "foreign" else "changed since kg wrote it"
    return f"{db} {why}: kept as {backup}"


def _warn(line: str) -> None:
    # a warning on the `kg.export.ladybug` logger: with no logging configured (the kg command),
    # Python prints it on stderr as this one line
    _log.warning(line)


def keep_databases(old_folder, new_folder) -> list[str]:
    """Keep the databases in `old_folder` (OUT/ladybug) that replacing it by `new_folder` (the
    staged ladybug/ of a build) would delete; kg build's commit calls it just before that.

    * Databases kept earlier (`graph.lbdb.bak-N`, with a .wal) move into `new_folder` unchanged.
    * `graph.lbdb` not written by kg, or changed since (`database_state`), moves into
      `new_folder` as the next `graph.lbdb.bak-N`: "OUT/ladybug/graph.lbdb changed since kg wrote
      it: kept as OUT/ladybug/graph.lbdb.bak-1".
    * `graph.lbdb` as kg wrote it goes with the old folder: silently when `new_folder` holds a new
      database, else with a line saying so (the build wrote no database: target `ladybug`, not
      `ladybug-db`); it is the previous graph's, and `kg export ladybug-db` makes this one's.

    Each line is logged as a warning and returned; paths are named as they will be after the
    move (in `old_folder`). Does nothing when `old_folder` is not a folder (or is a symlink).
    """
    old, new = Path(old_folder), Path(new_folder)
    if not old.is_dir() or old.is_symlink():
        return []
    new.mkdir(parents=True, exist_ok=True)
    lines = []
    for name in _backups(DATABASE_FILE, old):
        if not (new / name).exists():
            os.replace(old / name, new / name)
            if _wal(old / name).exists():
                os.replace(_wal(old / name), _wal(new / name))
    db = old / DATABASE_FILE
    state = database_state(db)
    if state in ("changed", "foreign"):
        backup = _set_aside(db, new, old)
        lines.append(_kept_line(state, db, old / backup.name))
    elif state == "kg" and database_state(new / DATABASE_FILE) == "missing":
        lines.append(f"removed {db}: made from the previous graph and unchanged since; "
                     "this build wrote no database (`kg export ladybug-db` makes one)")
    for line in lines:
        _warn(line)
    return lines


def create_ladybug_database(out_dir, db_path, buffer_pool_size: int = 0) -> str:
    """Create a LadybugDB database at `db_path` from the files `write_ladybug` wrote.

    Runs `schema.cypher` then `copy.cypher` (CSV paths made absolute) into a new database built
    beside `db_path` and renamed over it when complete, so a failed load leaves the old one; then
    records its digest in `db_path`.sha256. An old database at `db_path` is replaced silently only
    when it is as kg wrote it (`database_state` "kg"); otherwise it is kept as `db_path`.bak-N
    (the next free N) and a warning is logged naming it.

    Parameters
    ----------
    out_dir : path
        The folder holding schema.cypher, copy.cypher and the CSVs (or the export folder above it).
    db_path : path
        The database file to create; an existing one is replaced (or kept aside, as above).
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
    digest = sha256_of(tmp)
    state = database_state(db_path)
    if state in ("changed", "foreign"):
        _warn(_kept_line(state, db_path, _set_aside(db_path, db_path.parent)))
    _remove_database(db_path)
    os.replace(tmp, db_path)
    _write_stamp(db_path, digest)
    return str(db_path)


def export_ladybug(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    """The `ladybug` target (kg.export.ExportFunction): write_ladybug into out_dir/ladybug/."""
    return write_ladybug(corpus, out_dir, graph)


def export_ladybug_db(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    """The `ladybug-db` target: the `ladybug` files, then the database made from them and its stamp."""
    written = write_ladybug(corpus, out_dir, graph)
    folder = Path(out_dir) / SUBDIR
    database = create_ladybug_database(folder, folder / DATABASE_FILE)
    return written + [database, str(_stamp(Path(database)))]
