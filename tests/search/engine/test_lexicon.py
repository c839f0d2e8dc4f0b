from collections import defaultdict

from quartiers40.search.engine.analysis import tokens
from quartiers40.search.engine.lexicon import load_lexicon

DOMAINS = {
    "emploi", "formation", "logement", "aides", "alimentation", "sante", "handicap", "seniors",
    "numerique", "ia", "administration", "enfants", "transports", "associations", "collectivites",
}  # fmt: skip


def test_every_entry_is_complete():
    lexicon = load_lexicon()
    assert len(lexicon.entries) >= 150
    for entry in lexicon.entries:
        assert entry.everyday and entry.official, entry.key
        assert entry.note.strip() and entry.source.strip(), entry.key
        assert all(tokens(word) for word in entry.everyday), entry.key
        assert entry.official_phrases(), entry.key


def test_domains_are_covered():
    assert {entry.domain for entry in load_lexicon().entries} >= DOMAINS


def test_no_everyday_word_has_two_meanings():
    seen = defaultdict(set)
    for entry in load_lexicon().entries:
        for word in entry.everyday:
            seen[tuple(tokens(word))].add(entry.key)
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_lookup_by_word_phrase_and_inflection():
    lexicon = load_lexicon()
    assert "emploi" in lexicon.lookup_word("boulot").official
    assert "France Travail" in lexicon.longest_phrase(["pole", "emploi", "x"], 0)[1].official
    assert lexicon.lookup_word("gosses") is lexicon.lookup_word("gosse")
    assert lexicon.lookup_word("aide") is None  # "aidant" shares the stem, not the meaning


def test_english_words_and_phrases():
    lexicon = load_lexicon()
    assert lexicon.english["internship"] == ("stage",)
    assert lexicon.longest_english(["high", "school", "students"], 0) == (2, ("lycée",))


def test_inflections_stay_in_their_entry():
    lexicon = load_lexicon()
    for entry in lexicon.entries:
        for word in entry.everyday:
            key = tokens(word)
            if len(key) != 1:
                continue
            for form in (key[0] + "s", key[0] + "e", key[0] + "es"):
                if (form,) in lexicon.phrases:  # a word of its own ("ia" / "iae")
                    continue
                assert lexicon.lookup_word(form) in (None, entry), (word, form)
