"""Text people write that others read: spoofing characters removed, bad input told plainly."""

import pytest
from django import forms

from quartiers40.core.forms import WrittenTextMixin, text_neutralise

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "gpj.exe" displayed as "exe.jpg"
SPOOFERS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


class NoteForm(WrittenTextMixin, forms.Form):
    title = forms.CharField(max_length=20)
    body = forms.CharField(max_length=4000, widget=forms.Textarea, required=False)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, required=False)


def test_every_display_control_is_removed():
    assert text_neutralise(f"a{SPOOFERS}b") == "ab"
    assert text_neutralise("Réunion\r\nà Sevran") == "Réunion\nà Sevran"
    assert text_neutralise("سلام عليكم") == "سلام عليكم"  # right-to-left text itself stays


def test_a_spoofed_title_is_neutralised_and_shown_so():
    form = NoteForm(data={"title": f"facture{RLO}fdp.exe"})
    assert form.is_valid()
    assert form.cleaned_data["title"] == "facturefdp.exe"
    assert RLO not in form["title"].value()


def test_a_password_is_never_changed():
    form = NoteForm(data={"title": "Bonjour", "password": f"a{RLO}b"})
    assert form.is_valid() and form.cleaned_data["password"] == f"a{RLO}b"


def test_a_text_too_long_says_how_long_and_keeps_the_text():
    form = NoteForm(data={"title": "Titre", "body": "x" * 4210})
    assert not form.is_valid()
    assert form.errors["body"] == ["Votre texte fait 4\xa0210 caractères, 4\xa0000 au plus."]
    assert form["body"].value() == "x" * 4210


def test_line_breaks_count_once_as_in_the_browser():
    form = NoteForm(data={"title": "Titre", "body": "ligne\r\n" * 600})  # 3,600 in the box
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("char", "name"), [("\x00", "NUL"), ("\x07", "U+0007")])
def test_an_invisible_character_is_refused_by_name(char, name):
    form = NoteForm(data={"title": f"Bon{char}jour"})
    assert not form.is_valid()
    assert form.errors["title"] == [
        f"Votre texte contient un caractère invisible qui n'est pas accepté ({name})."
    ]
    assert form["title"].value() == f"Bon{char}jour"


def test_tabs_and_line_breaks_are_text():
    assert NoteForm(data={"title": "a\tb", "body": "a\nb"}).is_valid()


def test_a_prefixed_form_and_a_query_dict():
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data["note-title"] = f"a{RLO}b"
    form = NoteForm(data=data, prefix="note")
    assert form.is_valid() and form.cleaned_data["title"] == "ab"
    assert data["note-title"] == f"a{RLO}b"  # the request's own data is left as it came
