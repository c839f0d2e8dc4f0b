"""The plain-language rules on the reviewed set of good and bad French texts (sentences_fr.toml)."""

import tomllib
from pathlib import Path

import pytest

from quartiers40.plainlanguage.check import (
    KIND_SUMMARY,
    KIND_TEXT,
    RULE_ACRONYM,
    RULE_JARGON,
    RULE_LONG_SENTENCE,
    RULE_LONG_WORD,
    RULE_NUMBER,
    RULE_PASSIVE,
    RULE_RARE_WORD,
    check_text,
    is_easy_to_read,
    kandel_moles,
    lexicon,
    syllable_count,
)

SET = tomllib.loads((Path(__file__).parent / "sentences_fr.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", SET["good"], ids=lambda entry: entry["text"][:40])
def test_good_texts_pass(entry):
    result = check_text(entry["text"], kind=KIND_SUMMARY)
    assert result.faults == (), [finding.message for finding in result.faults]
    assert result.passes, result.reasons


@pytest.mark.parametrize("entry", SET["bad"], ids=lambda entry: entry["text"][:40])
def test_bad_texts_fail_on_their_rules(entry):
    result = check_text(entry["text"], kind=KIND_SUMMARY)
    assert not result.passes
    found = {finding.rule for finding in result.faults}
    assert set(entry["rules"]) <= found, [finding.message for finding in result.findings]


def test_the_set_is_balanced_and_covers_every_fault_rule():
    assert len(SET["good"]) >= 5 and len(SET["bad"]) >= 10
    covered = {rule for entry in SET["bad"] for rule in entry["rules"]}
    assert covered == {RULE_JARGON, RULE_ACRONYM, RULE_PASSIVE, RULE_NUMBER, RULE_LONG_SENTENCE}


def test_jargon_gives_a_concrete_replacement_with_its_position():
    text = "Les démarches sont dématérialisées."
    (finding,) = [f for f in check_text(text).findings if f.rule == RULE_JARGON]
    assert finding.excerpt == "dématérialisées"
    assert text[finding.start : finding.end] == "dématérialisées"
    assert finding.message.replace("\u00a0", " ") == "« dématérialisées » : écrivez « en ligne »."


def test_the_longest_expression_wins_and_each_is_reported_once():
    rules = [
        f.excerpt for f in check_text("Le comité de pilotage. Le comité de pilotage.").findings
    ]
    assert rules.count("comité de pilotage") == 1
    assert "pilotage" not in rules


def test_an_acronym_is_explained_by_its_expansion_or_a_bracket():
    assert not _rules("La Caisse d'allocations familiales (CAF) paie le 5 du mois.") & {
        RULE_ACRONYM
    }
    assert not _rules("Le CCAS (centre d'action sociale) aide les familles.") & {RULE_ACRONYM}
    (finding,) = [f for f in check_text("Demandez à la CAF.").findings if f.rule == RULE_ACRONYM]
    assert "Caisse d'allocations familiales (CAF)" in finding.message
    unknown = [f for f in check_text("Le projet ZXQ aide.").findings if f.rule == RULE_ACRONYM]
    assert unknown and "ce que veut dire ce sigle" in unknown[0].message


def test_known_names_are_explained_once():
    assert RULE_ACRONYM in _rules("Allez à France Travail.")
    assert RULE_ACRONYM not in _rules("Allez à France Travail (le service de l'emploi).")


def test_passive_voice_but_not_verbs_conjugated_with_etre():
    assert RULE_PASSIVE in _rules("Le site est géré par la mairie.")
    assert RULE_PASSIVE not in _rules("Elle est venue au quartier. Il est né ici.")
    assert RULE_PASSIVE not in _rules("C'est ouvert à tous.")


def test_numbers():
    assert RULE_NUMBER in _rules("Il y a quatre ateliers.")
    assert RULE_NUMBER in _rules("Le projet touche 125 000 habitants.")
    assert RULE_NUMBER not in _rules("Le projet a commencé en 2024 avec 12 jeunes.")
    assert RULE_NUMBER not in _rules("Le chapitre commence. Ce jour-là, le quartier fête.")


def test_rare_and_long_words_are_advice_not_faults():
    result = check_text("Nous luttons contre la procrastination ensemble.")
    advice = [f for f in result.findings if f.rule in {RULE_RARE_WORD, RULE_LONG_WORD}]
    assert [f.excerpt for f in advice] == ["procrastination"]
    assert advice[0].is_advice and result.faults == ()


def test_proper_nouns_are_not_rare_words():
    assert RULE_RARE_WORD not in _rules("Les jeunes de Clichy-sous-Bois vont à Trappes.")


def test_kandel_moles_formula_and_pyphen_syllables():
    assert kandel_moles(words=10, sentences=1, syllables=15) == pytest.approx(207 - 10.15 - 110.4)
    assert syllable_count("maison") == 2
    assert syllable_count("particulièrement") == 6
    hard = check_text(
        "L'expérimentation intergénérationnelle institutionnalise l'interdisciplinarité."
    )
    assert hard.reading_ease is not None and hard.reading_ease < 0
    assert not hard.passes


def test_descriptions_allow_longer_sentences_than_summaries():
    text = (
        "Les habitants du quartier viennent chaque semaine au centre social pour apprendre "
        "à utiliser le téléphone avec une animatrice."
    )
    assert RULE_LONG_SENTENCE in _rules(text, kind=KIND_SUMMARY)
    assert RULE_LONG_SENTENCE not in _rules(text, kind=KIND_TEXT)


def test_empty_text_does_not_pass():
    assert not check_text("").passes
    assert not is_easy_to_read("   ")
    assert is_easy_to_read("Venez à l'atelier. C'est gratuit.")


def test_the_data_file_is_read_once_with_enough_reviewed_entries():
    assert lexicon() is lexicon()
    assert len(lexicon().jargon) >= 120
    for acronym in ("CAF", "QPV", "RSA", "France Travail"):
        assert acronym in lexicon().acronyms


def _rules(text, kind=KIND_SUMMARY):
    return {finding.rule for finding in check_text(text, kind=kind).findings}
