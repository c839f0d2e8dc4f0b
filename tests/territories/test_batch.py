import csv
import io

import pytest

from quartiers40.territories.batch import ADDED_COLUMNS, MAX_ROWS, QPVCheckFileError, qpv_csv_check
from quartiers40.territories.enums import CheckRowStatus
from quartiers40.territories.services import qpv_layer_import

from . import fake_geocoder
from .conftest import SAMPLE_FILE, Response

pytestmark = pytest.mark.django_db

GOUTTE_DOR = ("48.8860", "2.3540")  # inside QN07511M
GARE_DU_NORD = ("48.8809", "2.3553")  # outside every QPV


@pytest.fixture(autouse=True)
def sample_qpvs():
    qpv_layer_import(source=SAMPLE_FILE)


@pytest.fixture
def geocoder(http_server, settings):
    fake_geocoder.install(http_server, settings)
    return http_server


def _rows(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for spreadsheets
    text = content.decode("utf-8-sig")
    delimiter = ";" if text.split("\r\n", 1)[0].count(";") else ","
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def _check(text: str, encoding: str = "utf-8", **kwargs):
    result = qpv_csv_check(data=text.encode(encoding), **kwargs)
    return result, _rows(result.content)


def _error(data: bytes) -> str:
    with pytest.raises(QPVCheckFileError) as error:
        qpv_csv_check(data=data)
    return " ".join(error.value.messages)


# --- Coordinates -----------------------------------------------------------------------------


def test_coordinates_are_located_and_input_columns_kept():
    result, rows = _check(
        "nom,latitude,longitude\n"
        f"Association A,{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n"
        f"Association B,{GARE_DU_NORD[0]},{GARE_DU_NORD[1]}\n"
    )
    assert result.total == 2
    assert result.inside == 1
    assert result.delimiter == ","
    assert list(rows[0]) == [
        "nom",
        "latitude",
        "longitude",
        "qpv_code",
        "qpv_name",
        "distance_m",
        "status",
        "message",
    ]
    inside, outside = rows
    assert (inside["nom"], inside["qpv_code"], inside["qpv_name"]) == (
        "Association A",
        "QN07511M",
        "Goutte D'Or",
    )
    assert (inside["distance_m"], inside["status"]) == ("0", "ok")
    assert inside["message"] == "Dans le QPV « Goutte D'Or » (QN07511M)."
    assert outside["qpv_code"] == ""
    assert outside["status"] == "ok"
    assert 0 < int(outside["distance_m"]) < 2000
    assert outside["message"].startswith("Hors QPV : le plus proche est « ")


def test_semicolons_bom_capitalised_names_and_decimal_commas():
    data = (
        "\ufeffNom;Latitude;LNG\n"
        f"A;{GOUTTE_DOR[0].replace('.', ',')};{GOUTTE_DOR[1].replace('.', ',')}\n"
    ).encode()
    result = qpv_csv_check(data=data)
    [row] = _rows(result.content)
    assert result.delimiter == ";"
    assert result.encoding == "utf-8-sig"
    assert row["qpv_code"] == "QN07511M"
    assert row["Latitude"] == "48,8860"  # kept as written


def test_a_latin1_file_is_decoded():
    text = f"nom;lat;lon\nCrèche « Hélène » à Paris;{GOUTTE_DOR[0]};{GOUTTE_DOR[1]}\n"
    result, [row] = _check(text, encoding="latin-1")
    assert result.encoding in {"cp1252", "latin-1"}
    assert row["nom"] == "Crèche « Hélène » à Paris"
    assert row["qpv_code"] == "QN07511M"


def test_bad_coordinates_get_a_status_and_the_others_are_processed():
    result, rows = _check(
        "id,latitude,longitude\n"
        "1,quarante-huit,2.35\n"
        "2,48.88,\n"
        "3,123.4,2.35\n"
        "4,48.88,-181\n"
        "5,,\n"
        f"6,{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n"
        "7,nan,2.35\n"
    )
    by_id = {row["id"]: row for row in rows}
    assert by_id["1"]["status"] == CheckRowStatus.INVALID_COORDINATES
    assert by_id["1"]["message"] == (
        "Latitude illisible : « quarante-huit » n'est pas un nombre décimal (exemple : 48.8566)."
    )
    assert by_id["2"]["status"] == CheckRowStatus.INVALID_COORDINATES
    assert by_id["2"]["message"] == "Longitude manquante."
    assert by_id["3"]["status"] == CheckRowStatus.OUT_OF_RANGE
    assert by_id["3"]["message"] == "Latitude hors limites : 123.4 n'est pas entre -90 et 90."
    assert by_id["4"]["status"] == CheckRowStatus.OUT_OF_RANGE
    assert "Longitude hors limites" in by_id["4"]["message"]
    assert by_id["5"]["status"] == CheckRowStatus.MISSING_LOCATION
    assert by_id["6"]["qpv_code"] == "QN07511M"
    assert by_id["7"]["status"] == CheckRowStatus.INVALID_COORDINATES
    assert all(
        row["qpv_code"] == "" and row["distance_m"] == "" for row in rows if row["id"] != "6"
    )
    assert result.counts[CheckRowStatus.OK] == 1
    assert result.errors == 6


def test_a_row_with_too_many_values_is_reported_and_kept():
    lat, lon = GOUTTE_DOR
    _result, rows = _check(f"nom;latitude;longitude\nA;B;{lat};{lon}\nC;{lat};{lon}\n")
    assert rows[0]["status"] == CheckRowStatus.MALFORMED_ROW
    assert "4 valeurs pour 3 colonnes" in rows[0]["message"]
    assert rows[0]["longitude"] == f"{GOUTTE_DOR[0]};{GOUTTE_DOR[1]}"  # nothing lost
    assert rows[1]["qpv_code"] == "QN07511M"


def test_a_previous_result_is_overwritten_not_duplicated():
    first = qpv_csv_check(data=f"latitude,longitude\n{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n".encode())
    again = qpv_csv_check(data=first.content)
    rows = _rows(again.content)
    assert list(rows[0]).count("status") == 1
    assert rows[0]["qpv_code"] == "QN07511M"


def test_progress_is_reported_up_to_the_total(settings):
    settings.GEOCODER_BATCH_SIZE = 2
    calls = []
    lines = "".join(f"{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n" for _ in range(5))
    qpv_csv_check(
        data=f"latitude,longitude\n{lines}".encode(), progress=lambda *args: calls.append(args)
    )
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_exactly_the_maximum_number_of_rows_is_accepted():
    lines = f"{GOUTTE_DOR[0]};{GOUTTE_DOR[1]}\n" * MAX_ROWS
    result = qpv_csv_check(data=f"latitude;longitude\n{lines}".encode())
    assert result.total == MAX_ROWS == 50_000
    assert result.inside == MAX_ROWS


# --- Addresses --------------------------------------------------------------------------


def test_addresses_are_geocoded_then_located(geocoder):
    result, rows = _check(
        "adresse;code_postal;commune\n"
        "20 rue de la Goutte d'Or;75018;Paris\n"
        "Gare du Nord;75010;Paris\n"
        "1 rue qui n'existe pas;99999;Nulle-Part\n"
        ";75018;Paris\n"
        "Quelque part;;\n"
    )
    inside, outside, unknown, empty, uncertain = rows
    assert inside["qpv_code"] == "QN07511M"
    assert inside["message"] == (
        "Dans le QPV « Goutte D'Or » (QN07511M). Adresse reconnue : "
        "« 20 Rue de la Goutte d'Or 75018 Paris » (score 0,96)."
    )
    assert outside["status"] == "ok"
    assert outside["qpv_code"] == ""
    assert int(outside["distance_m"]) > 0
    assert unknown["status"] == CheckRowStatus.ADDRESS_NOT_FOUND
    assert unknown["message"] == (
        "Adresse introuvable : « 1 rue qui n'existe pas 99999 Nulle-Part »."
    )
    assert empty["status"] == CheckRowStatus.EMPTY_ADDRESS
    assert empty["message"] == "Adresse vide : indiquez l'adresse."
    assert uncertain["status"] == CheckRowStatus.ADDRESS_UNCERTAIN
    assert uncertain["message"].startswith(
        "Adresse incertaine (score 0,31) : le géocodeur propose « Quelque Part 75004 Paris »."
    )
    assert uncertain["qpv_code"] == ""
    assert result.inside == 1
    assert len(geocoder.requests) == 1  # one CSV request for the whole chunk


def test_coordinates_win_over_the_address_and_fill_the_gaps(geocoder):
    _result, rows = _check(
        "id,adresse,latitude,longitude\n"
        f"1,Gare du Nord 75010 Paris,{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n"
        "2,20 rue de la Goutte d'Or 75018 Paris,,\n"
        "3,,,\n"
        ",,,\n"  # a blank line of a spreadsheet export: skipped
    )
    assert len(rows) == 3
    assert rows[0]["qpv_code"] == "QN07511M"  # the coordinates, not the address
    assert rows[1]["qpv_code"] == "QN07511M"  # geocoded
    assert rows[2]["message"] == (
        "Adresse vide : indiquez l'adresse, ou la latitude et la longitude."
    )


def test_a_geocoder_timeout_marks_the_address_rows_only(http_server, settings):
    fake_geocoder.install(http_server, settings)
    settings.GEOCODER_BATCH_TIMEOUT = 0.2
    settings.GEOCODER_RETRIES = 0
    http_server.route("POST", "/geocodage/search/csv/", lambda r: Response(body=b"", delay=5))
    result, rows = _check(
        "adresse,latitude,longitude\n"
        "20 rue de la Goutte d'Or 75018 Paris,,\n"
        f"Ailleurs,{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n"
    )
    assert rows[0]["status"] == CheckRowStatus.GEOCODER_UNAVAILABLE
    assert rows[0]["message"] == (
        "Service de géocodage indisponible : réessayez plus tard, ou donnez la latitude et la "
        "longitude."
    )
    assert rows[1]["qpv_code"] == "QN07511M"
    assert result.counts[CheckRowStatus.GEOCODER_UNAVAILABLE] == 1


# --- Files that cannot be checked -------------------------------------------------------


def test_error_for_a_file_in_another_encoding():
    message = _error("latitude;longitude\n48,8;2,3\n".encode("utf-16"))
    assert "UTF-16" in message
    assert "CSV UTF-8" in message


def test_error_for_binary_data():
    assert "n'est pas un texte CSV lisible" in _error(bytes(range(256)) * 4)


def test_error_for_a_spreadsheet():
    assert "exportez-le au format « CSV UTF-8 »" in _error(b"PK\x03\x04" + b"\x00" * 100)


def test_error_for_missing_columns():
    message = _error(b"nom;ville_de_naissance\nA;Paris\n")
    assert message == (
        "Colonnes manquantes : le fichier doit contenir une colonne « adresse » (avec, si "
        "possible, « code_postal » et « commune »), ou deux colonnes « latitude » et "
        "« longitude ». Colonnes trouvées : « nom », « ville_de_naissance »."
    )


def test_error_for_a_latitude_without_longitude():
    message = _error(b"nom;latitude\nA;48.8\n")
    assert message.startswith("Colonne « longitude » manquante")


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_error_for_an_empty_file(data):
    assert _error(data) == "Le fichier est vide."


def test_error_for_a_header_without_rows():
    assert _error(b"latitude;longitude\n\n") == (
        "Le fichier ne contient aucune ligne de données sous la ligne d'en-tête."
    )


def test_error_for_too_many_rows_before_any_processing(geocoder):
    lines = "20 rue de la Goutte d'Or 75018 Paris\n" * (MAX_ROWS + 1)
    calls = []
    with pytest.raises(QPVCheckFileError) as error:
        qpv_csv_check(data=f"adresse\n{lines}".encode(), progress=lambda *a: calls.append(a))
    assert error.value.messages == [
        "Le fichier contient 50\u202f001 lignes de données ; la limite est de 50\u202f000 "
        "lignes par fichier. Découpez-le en plusieurs fichiers."
    ]
    assert error.value.code == "too_many_rows"
    assert geocoder.requests == []
    assert calls == []


def test_uploaded_formulas_come_back_as_text_in_the_result():
    """CSV injection: the result echoes the uploaded columns and opens in a spreadsheet."""
    _result, rows = _check(
        "nom,latitude,longitude\n"
        f'"=HYPERLINK(""http://evil"",""x"")",{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n'
        f"@SUM(1),{GARE_DU_NORD[0]},{GARE_DU_NORD[1]}\n"
        f"-2.35,{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n"
    )
    assert [row["nom"] for row in rows] == [
        '\'=HYPERLINK("http://evil","x")',
        "'@SUM(1)",
        "-2.35",  # a plain number is data, not a formula
    ]
    assert rows[0]["qpv_code"] == "QN07511M"


def test_the_added_columns_start_with_our_own_words_and_are_written_as_they_are():
    """distance_m, status and message are not looked at for formulas: a message quotes
    what was typed only after its first words."""
    _result, rows = _check(f"latitude,longitude\n=1+1,{GOUTTE_DOR[1]}\n-48.5,-2.35\n")
    assert rows[0]["message"].startswith("Latitude illisible : « =1+1 »")
    assert rows[0]["status"] == "invalid_coordinates"
    assert rows[1]["latitude"] == "-48.5"  # a plain number, kept
    assert not any(row[name].startswith("'") for row in rows for name in ADDED_COLUMNS)


# --- Reading whole columns at once gives the answers of reading row by row ------------------

_VALUES = [
    ("48,8860", "2,3540"),  # decimal commas
    (" 48.886 ", "2.354"),
    ("48\u00a0886", "2.354"),  # a thousands separator: out of range
    ("+48.886", "2.354"),
    ("48.", "2."),
    (".5", "45"),
    ("48.886\t", "2.354"),  # a tab around the value
    ("abc", "2.3"),
    ("", "2.3"),
    ("48.8", ""),
    ("inf", "2"),
    ("nan", "2"),
    ("1e5", "2"),
    ("1_0", "2"),
    ("91", "2"),
    ("48", "-181"),
    ("-0.5", "+45.25"),
    GOUTTE_DOR,
    GARE_DU_NORD,
]


def test_each_row_gets_the_answer_it_gets_alone():
    """Good and bad values mixed: the bad rows keep their own messages, the others are read."""
    lines = "".join(f'{i};"{lat}";"{lon}"\n' for i, (lat, lon) in enumerate(_VALUES))
    _result, together = _check(f"id;latitude;longitude\n{lines}")
    for i, (lat, lon) in enumerate(_VALUES):
        _alone_result, alone = _check(f'id;latitude;longitude\n{i};"{lat}";"{lon}"\n')
        assert together[i] == alone[0], (lat, lon)
    by_value = dict(zip(_VALUES, together, strict=True))
    assert by_value[("48,8860", "2,3540")]["qpv_code"] == "QN07511M"
    assert by_value[("48\u00a0886", "2.354")]["message"] == (
        "Latitude hors limites : 48\u00a0886 n'est pas entre -90 et 90."
    )
    assert by_value[("1e5", "2")]["message"] == (
        "Latitude illisible : « 1e5 » n'est pas un nombre décimal (exemple : 48.8566)."
    )
    assert by_value[("48.8", "")]["message"] == "Longitude manquante."
    assert by_value[("48.886\t", "2.354")]["qpv_code"] == "QN07511M"


def test_a_line_break_inside_a_coordinate_cell_is_reported():
    _result, rows = _check(
        f'id,latitude,longitude\n1,"48.886\n2",2.354\n2,{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n'
    )
    assert rows[0]["status"] == CheckRowStatus.INVALID_COORDINATES
    assert rows[0]["message"].startswith("Latitude illisible : « 48.886\n2 »")
    assert rows[1]["qpv_code"] == "QN07511M"


def test_messages_are_translated_once_per_file_not_per_row(monkeypatch):
    from quartiers40.territories import batch

    calls = []

    def counting_gettext(message):
        calls.append(message)
        return message

    monkeypatch.setattr(batch, "_", counting_gettext)
    inside = f"{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n" * 300
    outside = f"{GARE_DU_NORD[0]},{GARE_DU_NORD[1]}\n" * 300
    bad = "abc,2.35\n" * 3
    _result, rows = _check(f"latitude,longitude\n{inside}{outside}{bad}")
    assert rows[0]["message"] == "Dans le QPV « Goutte D'Or » (QN07511M)."
    assert rows[300]["message"].startswith("Hors QPV : le plus proche est ")
    assert rows[-1]["status"] == CheckRowStatus.INVALID_COORDINATES
    assert len(calls) < 20  # one per kind of message (and per bad row), not 600


def test_a_blank_line_is_skipped_and_a_column_without_formulas_is_kept_as_is():
    _result, rows = _check(
        f"nom,latitude,longitude\n\n ,  , \nA-1,{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n"
        f"+B,{GARE_DU_NORD[0]},-{GARE_DU_NORD[1]}\n"
    )
    assert [row["nom"] for row in rows] == ["A-1", "'+B"]
    assert rows[1]["longitude"] == f"-{GARE_DU_NORD[1]}"
