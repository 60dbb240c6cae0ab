"""Author resolution on small fixtures shaped like the dev corpus."""

from kg.resolve.authors import AuthorMention, baseline_same_name, normalise_person_name, resolve_authors


def mention(paper, position, printed, coauthors, institutions=()):
    return AuthorMention(paper, position, printed, tuple(normalise_person_name(c) for c in coauthors), tuple(institutions))


def test_two_different_y_wangs_stay_apart():
    mentions = [
        mention("p1", 0, "Y Wang", ["J Kim", "S Lee"], ["institution:ror-kaist"]),
        mention("p2", 2, "Y Wang", ["M Müller", "T Brox"], ["institution:ror-freiburg"]),
    ]
    assignment, authors = resolve_authors(mentions)
    assert assignment[("p1", 0)] != assignment[("p2", 2)]
    assert len(authors) == 2 and {a.name for a in authors} == {"Y Wang"}
    assert len(set(baseline_same_name(mentions).values())) == 1  # the naive rule merges them


def test_author_joined_across_papers_through_shared_coauthor_with_evidence():
    mentions = [
        mention("p1", 0, "D Dai", ["L Dong", "F Wei"]),
        mention("p2", 1, "D Dai", ["F Wei", "Z Sui"]),
        mention("p3", 0, "D Dai", ["Z Sui"]),  # joined transitively through p2
        mention("p4", 0, "D Dai", ["Q Zhang"]),
    ]
    assignment, authors = resolve_authors(mentions)
    assert assignment[("p1", 0)] == assignment[("p2", 1)] == assignment[("p3", 0)]
    assert assignment[("p4", 0)] != assignment[("p1", 0)]
    joined = next(a for a in authors if len(a.mentions) == 3)
    assert joined.mentions == (("p1", 0), ("p2", 1), ("p3", 0))
    assert joined.evidence == ("p1 and p2 share co-author 'f wei'", "p2 and p3 share co-author 'z sui'")


def test_shared_institution_joins_and_ids_do_not_depend_on_order():
    mentions = [
        mention("p1", 0, "R P. Adams", ["A Seff"], ["institution:ror-princeton"]),
        mention("p2", 3, "R P Adams", ["X Y"], ["institution:ror-princeton"]),
    ]
    a1, _ = resolve_authors(mentions)
    a2, _ = resolve_authors(list(reversed(mentions)))
    assert a1 == a2
    assert a1[("p1", 0)] == a1[("p2", 3)]
    assert a1[("p1", 0)].startswith("author:r-p-adams-")
