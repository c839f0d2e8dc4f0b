"""CSV files opened in a spreadsheet never run a cell as a formula (OWASP CSV injection)."""

import csv
import io

import pytest

from quartiers40.core.spreadsheet import SpreadsheetDictWriter, spreadsheet_safe, spreadsheet_writer


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+33 1 23", "'+33 1 23"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-2.35", "-2.35"),  # a plain number is data
        ("+33", "+33"),
        ("Awa Diallo", "Awa Diallo"),
        ("", ""),
        (42, 42),
        (None, None),
    ],
)
def test_formula_cells_get_a_leading_quote(value, safe):
    assert spreadsheet_safe(value) == safe


def test_both_writers_neutralise_every_cell():
    stream = io.StringIO()
    spreadsheet_writer(stream, delimiter=";").writerow(["=1+1", "ok"])
    writer = SpreadsheetDictWriter(stream, fieldnames=["a", "b"], delimiter=";")
    writer.writerows([{"a": "@x", "b": "y"}])
    rows = list(csv.reader(io.StringIO(stream.getvalue()), delimiter=";"))
    assert rows == [["'=1+1", "ok"], ["'@x", "y"]]
