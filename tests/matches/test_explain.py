"""The words of the reasons."""

from datetime import date

from quartiers40.matches import explain


def test_quoted_words():
    assert explain.quoted(["CV"]) == "« CV »"
    assert explain.quoted(["CV", "jeunes"]) == "« CV » et « jeunes »"
    assert explain.quoted(["CV", "jeunes", "emploi", "lettre"]) == (
        "« CV », « jeunes » et « emploi »"
    )
    assert explain.words_reason(["CV", "jeunes"], 0.3).text == "les mots « CV » et « jeunes »"
    assert explain.words_reason(["CV"], 0.3).text == "le mot « CV »"


def test_themes_places_and_distances():
    assert explain.theme_reason(["Emploi"], 0.25).text == "même thème : emploi"
    assert explain.theme_reason(["Emploi", "Santé"], 0.3).text == "mêmes thèmes : emploi, santé"
    assert explain.distance_reason(1180, "Franc-Moisin", 0.1).text == "à 1,2 km de Franc-Moisin"
    assert explain.active_in_reason(["A", "B", "C", "D"], 0.3).text == (
        "déjà active dans A, B et 2 autres"
    )
    assert explain.active_in_reason(["A", "B"], 0.3, feminine=False).text == (
        "déjà présent dans A et B"
    )


def test_a_reason_is_data_and_words():
    reason = explain.deadline_reason(date(2026, 6, 30))
    assert reason.as_data() == {
        "code": "deadline",
        "text": "à demander avant le 30 juin 2026",
        "weight": 0.0,
        "deadline": "2026-06-30",
    }
    line = explain.explanation_line([reason, {"text": "appel à projets"}])
    assert line == "À demander avant le 30 juin 2026 · appel à projets"
