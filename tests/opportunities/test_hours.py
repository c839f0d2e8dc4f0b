import pytest
from django.utils import translation

from quartiers40.opportunities.hours import opening_hours_words


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (
            "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off",
            "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h ; le samedi, de 9 h à 12 h"
            " ; fermé les jours fériés",
        ),
        ("Mo 10:00-12:30", "Le lundi, de 10 h à 12 h 30"),
        ("Mo,Th 09:00-12:30", "Le lundi et le jeudi, de 9 h à 12 h 30"),
        ("Mo, We, Fr 14:00-18:00", "Le lundi, le mercredi et le vendredi, de 14 h à 18 h"),
        ("Mo-We,Fr 09:00-17:00", "Du lundi au mercredi et le vendredi, de 9 h à 17 h"),
        ("Mo-Su 08:00-20:00", "Tous les jours, de 8 h à 20 h"),
        ("09:00-18:00", "Tous les jours, de 9 h à 18 h"),
        (
            "Tu 08:00-10:00,11:00-12:00,14:00-17:00",
            "Le mardi, de 8 h à 10 h, de 11 h à 12 h et de 14 h à 17 h",
        ),
        ("Fr 20:00-24:00", "Le vendredi, de 20 h à minuit"),
        ("Sa 22:00-02:00", "Le samedi, de 22 h à 2 h"),
        ("Su 00:00-24:00", "Le dimanche, 24 h sur 24"),
        ("Sa", "Le samedi, toute la journée"),
        ("24/7", "Ouvert 24 h sur 24, 7 jours sur 7"),
        ("Mo-Fr 09:00-17:00; Th off", "Du lundi au vendredi, de 9 h à 17 h ; fermé le jeudi"),
        (
            "Mo-Fr 09:00-17:00; Sa,Su closed",
            "Du lundi au vendredi, de 9 h à 17 h ; fermé le samedi et le dimanche",
        ),
        ("Fr-Mo 10:00-16:00", "Du vendredi au lundi, de 10 h à 16 h"),
        ("SH 10:00-12:00", "Pendant les vacances scolaires, de 10 h à 12 h"),
        ('Mo 14:00-16:00 "sur rendez-vous"', "Le lundi, de 14 h à 16 h (sur rendez-vous)"),
        (
            "Mo-Fr 09:00-12:00, Sa 10:00-12:00",
            "Du lundi au vendredi, de 9 h à 12 h ; le samedi, de 10 h à 12 h",
        ),
        ("mo-fr 9:00-12:00", "Du lundi au vendredi, de 9 h à 12 h"),
        ("Mo-Fr 09:00 - 12:00 ;", "Du lundi au vendredi, de 9 h à 12 h"),
        (
            "Mo-Fr 08:30-12:00 || PH off",
            "Du lundi au vendredi, de 8 h 30 à 12 h ; fermé les jours fériés",
        ),
        ("Mo unknown", "Le lundi, horaires à confirmer"),
    ],
)
def test_common_forms_in_words(raw, words):
    hours = opening_hours_words(raw)
    assert hours.understood
    assert hours.text == words
    assert str(hours) == words


@pytest.mark.parametrize(
    "raw",
    [
        "Jan-Mar Mo-Fr 09:00-12:00",  # months
        "week 01-10 Mo 09:00-12:00",  # weeks
        "2025 Mo-Fr 09:00-17:00",  # years
        "Mo[1] 10:00-12:00",  # the first Monday of the month
        "Mo-Fr sunrise-sunset",
        "Mo-Fr 10:00+",  # open end
        "9h-12h et 14h-17h du lundi au vendredi",  # free text, as some sources write it
        "Mo-Fr 25:00-26:00",
        "Mo-Fr 09:75-12:00",
        "Mo-Fr 09:00-12:00 off",
        "Xx 10:00-12:00",
        '"',
        "Mo-Fr 00:00-24:00,10:00-12:00",
    ],
)
def test_what_is_not_understood_is_shown_raw(raw):
    hours = opening_hours_words(raw)
    assert not hours.understood
    assert hours.text == f"horaires : {raw}"


@pytest.mark.parametrize("raw", ["", None, "   "])
def test_nothing_says_nothing(raw):
    hours = opening_hours_words(raw)
    assert hours.text == ""
    assert hours.understood


def test_never_crashes_on_noise():
    for raw in [
        ";;;",
        "||",
        "-",
        ",",
        "Mo-",
        "Mo-Fr ,",
        "::",
        "00:00",
        "Mo 1:2-3:4",
        "Mo-Fr 09:00-",
    ]:
        assert opening_hours_words(raw).text  # some words, never an exception


def test_long_text_is_bounded():
    hours = opening_hours_words("Mo 10:00-11:00; " * 100)
    assert len(hours.raw) <= 500


def test_words_follow_the_active_language():
    """The sentences are built from translatable pieces (the English catalogue fills them)."""
    with translation.override("en"):
        hours = opening_hours_words("Mo 10:00-12:00")
    assert hours.understood
    assert "10" in hours.text and "12" in hours.text
