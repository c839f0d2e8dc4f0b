import pytest

from quartiers40.assist.redaction import redact


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        "0033 1 23 45 67 89",
        "01 23 45 67 89",
    ],
)
def test_french_phone_numbers(phone):
    assert redact(f"Appeler le {phone} le matin.") == "Appeler le [téléphone] le matin."


@pytest.mark.parametrize(
    "email", ["fatima.benali@exemple.fr", "j-p+quartiers@mairie-bondy.gouv.fr", "a_b@c.org"]
)
def test_emails(email):
    assert redact(f"Écrire à {email}, merci.") == "Écrire à [e-mail], merci."


def test_names_given_in_any_case_and_with_or_without_accents():
    text = "Fatima Bénali anime l'atelier ; Mme BENALI et fatima reviennent jeudi."
    assert redact(text, names=["Fatima Bénali"]) == (
        "[personne] anime l'atelier ; Mme [personne] et [personne] reviennent jeudi."
    )


def test_other_numbers_and_words_stay():
    text = "Le 12/03/2025 à Bondy (93140), 1 500 € ; 30 participants. Fatimata vient."
    assert redact(text, names=["Fatima"]) == text


def test_short_name_parts_are_not_removed_alone():
    assert redact("Le jardin de Lé et Jo", names=["Jo Lé"]) == "Le jardin de Lé et Jo"
    assert redact("Merci Jo Lé !", names=["Jo Lé"]) == "Merci [personne] !"
