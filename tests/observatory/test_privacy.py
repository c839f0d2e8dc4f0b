from quartiers40.observatory.privacy import is_hidden, plotted, shown


def test_counts_of_people_under_five_are_never_numbers():
    for count in (0, 1, 4):
        assert shown(count) == "moins de 5"
        assert is_hidden(count)
        assert plotted(count) == 0
    assert shown(5) == 5
    assert plotted(7) == 7
    assert shown(None) is None


def test_counts_of_things_are_shown_as_they_are():
    assert shown(2, about_people=False) == 2
    assert plotted(2, about_people=False) == 2
