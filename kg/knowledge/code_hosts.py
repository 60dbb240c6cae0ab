"""Code hosts: which links point at code (`code_urls`), and the repository a link names (`repository_of`).

Extraction keeps a paper's code links; the graph gives each the repository it lies in.
"""

from __future__ import annotations

from typing import Iterable
from urllib.parse import urlsplit

__all__ = ["CODE_HOSTS", "code_urls", "repository_of"]

CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "sourceforge.net")
_PAGES_HOSTS = (".github.io", ".gitlab.io")
# GitHub's own link shortener (retired for new links in 2022; older papers print it): a repository
_SHORT_CODE_HOSTS = ("git.io",)


def code_urls(urls: Iterable[str]) -> list[str]:
    """Code links among `urls`, in order, unique: repositories (and user or organisation pages) on
    code hosts, git.io short links to them, and GitHub/GitLab Pages sites, which publish a project
    from its repository.

    The path is kept as printed (a link into a repository says where the code is); the scheme
    becomes https, the host loses "www." and case, a trailing "/" or ".git" is dropped.

    >>> code_urls(["http://www.github.com/junjie18/CMT.git", "https://muse-model.github.io/", "https://aka.ms/x"])
    ['https://github.com/junjie18/CMT', 'https://muse-model.github.io']
    >>> code_urls(["https://git.io/fj5vR", "https://git.io/"])
    ['https://git.io/fj5vR']
    """
    out: list[str] = []
    for url in urls:
        parts = urlsplit(url)
        host = parts.netloc.lower().removeprefix("www.")
        path = parts.path.rstrip("/").removesuffix(".git").rstrip("/")
        if host in CODE_HOSTS or host in _SHORT_CODE_HOSTS:
            if not [s for s in path.split("/") if s]:
                continue  # the host's home page
        elif not host.endswith(_PAGES_HOSTS):
            continue
        query = f"?{parts.query}" if parts.query else ""
        link = f"https://{host}{path}{query}"
        if link not in out:
            out.append(link)
    return out


def repository_of(url: str) -> str | None:
    """The repository root of a code-host link, else None.

    >>> repository_of("https://github.com/amzn/pecos/tree/main/x"), repository_of("https://muse-model.github.io")
    ('https://github.com/amzn/pecos', None)
    """
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if parts.netloc in CODE_HOSTS and len(segments) >= 2:
        return f"https://{parts.netloc}/{segments[0]}/{segments[1]}"
    return None
