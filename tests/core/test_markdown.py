from quartiers40.core.markdown import render_markdown


def test_markdown_is_rendered_and_sanitised():
    html = render_markdown(
        "# Titre\n\n**gras** <img src=x onerror=alert(1)> [lien](https://exemple.fr) "
        "[piège](javascript:alert(1))\n\n<iframe src='https://x'></iframe>"
    )
    assert "<strong>gras</strong>" in html
    assert 'href="https://exemple.fr"' in html and 'rel="nofollow noopener noreferrer"' in html
    for forbidden in ("<img", "onerror", "javascript:", "<iframe", "<h1"):
        assert forbidden not in html


def test_empty_markdown():
    assert render_markdown("") == ""
