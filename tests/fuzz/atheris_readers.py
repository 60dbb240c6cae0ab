"""Coverage-guided fuzzing of decoding and every reader with atheris: optional, never run by CI.

The hypothesis tests beside it are the CI gate; this finds inputs they do not think of, by
mutating the fixture files towards new branches. Any exception is a crash: atheris stops and
writes the input to crash-<sha1>, which belongs in a hypothesis test once understood.

    pip install atheris
    python -m tests.fuzz.atheris_readers -max_total_time=300 .fuzz/atheris-corpus

The corpus folder starts empty; the fixtures are copied into it on the first run.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _one_input(data: bytes) -> None:
    from kg.ingest.encoding import DecodeError, decode_text
    from kg.ingest.registry import get_reader, reader_names

    try:
        text = decode_text(data).text
    except DecodeError:
        return
    for name in reader_names():
        reader = get_reader(name)
        reader.detect(text)
        reader.parse(text, "fuzz.txt")


def main(argv: list[str]) -> None:
    import atheris

    corpus = [a for a in argv[1:] if not a.startswith("-")]
    if corpus:
        folder = Path(corpus[0])
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            for fixture in [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests/data/formats").iterdir()]:
                shutil.copy(fixture, folder / fixture.name)
    with atheris.instrument_imports(include=["kg"]):  # coverage of our code, not spaCy's
        from kg.ingest.registry import get_reader, reader_names

        for name in reader_names():
            get_reader(name)  # imports the reader's module (kg.registry loads them lazily)
    atheris.Setup(argv, _one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
