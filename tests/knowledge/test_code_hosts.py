"""Code links and their repositories (kg.knowledge.code_hosts)."""

from kg.knowledge.code_hosts import code_urls, repository_of


def test_code_urls_keep_links_into_code_hosts_and_pages_sites():
    assert code_urls(["http://github.com/elisaF/subjective_discourse/", "https://www.github.com/a/b.git",
                      "https://github.com/orgonly", "https://aka.ms/x", "https://github.com/",
                      "https://github.com/amzn/pecos/tree/mainline/examples/maclr"]) == [
        "https://github.com/elisaF/subjective_discourse", "https://github.com/a/b", "https://github.com/orgonly",
        "https://github.com/amzn/pecos/tree/mainline/examples/maclr"]
    # TridentNet's entry in the dev corpus (digest_00376.txt) prints its code as a git.io short link
    assert code_urls(["https://git.io/fj5vR", "http://openaccess.thecvf.com/content_ICCV_2019/papers/x.pdf",
                      "https://git.io/"]) == ["https://git.io/fj5vR"]


def test_repository_of_a_link_into_a_code_host():
    assert repository_of("https://github.com/amzn/pecos/tree/mainline/examples/maclr") == "https://github.com/amzn/pecos"
    assert repository_of("https://gitlab.com/a/b") == "https://gitlab.com/a/b"
    assert repository_of("https://muse-model.github.io") is None
    assert repository_of("https://github.com/orgonly") is None
