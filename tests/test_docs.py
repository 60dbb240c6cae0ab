"""The documentation names every command, option, input format and export target (as sqlite-utils'
and datasette's test_docs.py do): a new one fails here until docs/ says what it is.

Commands and options come from the click group; each command needs help text (`kg COMMAND --help`),
a line in the synopsis at the top of docs/cli.md (its options on it) and a line in the README's
command list; each option help text, and each of its choices a mention in docs/. Readers come from
kg.ingest.reader_names() and must be a `**name**` item of docs/inputs.md; export targets (aliases
included) from kg.export.exporter_names() and must be named in backquotes in docs/exports.md.
"""

import re
from pathlib import Path

import click
import pytest

from kg.cli import cli
from kg.export import exporter_names
from kg.ingest import reader_names

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    """(path, command) of every command under `group`, subcommands of groups included."""
    ctx = click.Context(group, info_name=" ".join(("kg", *path)))
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def _synopsis(text: str) -> list[str]:
    """The entries of the first code block of `text` that start with "kg", continuation lines joined."""
    block = text.split("```", 2)[1]
    entries: list[str] = []
    for line in block.splitlines():
        if line.startswith("kg ") or line == "kg":
            entries.append(line)
        elif line.startswith(" ") and entries:
            entries[-1] += " " + line.strip()
    return entries


def _usage(entries: list[str], path: tuple[str, ...]) -> str:
    """The synopsis entries of the command at `path` (the program's own options: every entry)."""
    words = " ".join(("kg", *path))
    return "\n".join(e for e in entries if e == words or e.startswith(words + " "))


def _named(option: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


COMMANDS = list(_commands(cli))
SYNOPSIS = _synopsis((DOCS / "cli.md").read_text(encoding="utf-8"))
README_COMMANDS = _synopsis((ROOT / "README.md").read_text(encoding="utf-8").split("## Commands", 1)[1])
OPTIONS = [(path, param) for path, command in [((), cli), *COMMANDS] for param in command.params
           if isinstance(param, click.Option)]


def _id(path: tuple[str, ...]) -> str:
    return " ".join(("kg", *path))


def test_the_commands_are_found():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"build", "query", "serve", "export", "viz", "validate", "load", "load virtuoso", "explain"} <= names


@pytest.mark.parametrize("path, command", COMMANDS, ids=[_id(p) for p, _ in COMMANDS])
def test_every_command_has_help_text_and_is_documented(path, command):
    assert (command.help or "").strip(), f"{_id(path)} has no help text (its docstring)"
    assert _usage(SYNOPSIS, path), f"{_id(path)} is not in the synopsis of docs/cli.md"
    assert _usage(README_COMMANDS, path[:1]), f"kg {path[0]} is not in the README's command list"


@pytest.mark.parametrize("path, option", OPTIONS, ids=[f"{_id(p)} {o.opts[-1]}" for p, o in OPTIONS])
def test_every_option_has_help_text_and_is_in_its_commands_synopsis(path, option):
    usage = _usage(SYNOPSIS, path)
    assert any(_named(opt, usage) for opt in option.opts + option.secondary_opts), (
        f"{_id(path)} {'/'.join(option.opts)} is not in its synopsis line in docs/cli.md")
    assert (option.help or "").strip(), f"{_id(path)} {'/'.join(option.opts)} has no help text"


CHOICES = [(path, param, choice) for path, command in COMMANDS for param in command.params
           if isinstance(param.type, click.Choice) for choice in param.type.choices]


def _param(param: click.Parameter) -> str:
    return param.opts[-1] if isinstance(param, click.Option) else param.human_readable_name


@pytest.mark.parametrize("path, param, choice", CHOICES, ids=[f"{_id(p)} {_param(o)} {c}" for p, o, c in CHOICES])
def test_every_choice_is_documented(path, param, choice):
    """In the command's synopsis, or named in docs/ (a reader's `**name**` item, an export target's `name`)."""
    docs = "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))
    assert _named(choice, _usage(SYNOPSIS, path)) or f"`{choice}`" in docs or f"**{choice}**" in docs, (
        f"{_id(path)} {_param(param)} {choice} is documented neither in its synopsis nor as `{choice}` in docs/")


@pytest.mark.parametrize("name", reader_names())
def test_every_reader_is_documented(name):
    assert f"**{name}**" in (DOCS / "inputs.md").read_text(encoding="utf-8"), (
        f"input format {name!r} has no **{name}** item in docs/inputs.md")


@pytest.mark.parametrize("name", exporter_names())
def test_every_export_target_is_documented(name):
    assert f"`{name}`" in (DOCS / "exports.md").read_text(encoding="utf-8"), (
        f"export target {name!r} is not named as `{name}` in docs/exports.md")
