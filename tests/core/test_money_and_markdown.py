import pytest

from portal.core.errors import ValidationError
from portal.core.markdown import markdown_excerpt, markdown_html, markdown_text
from portal.core.money import parse_decimal, parse_money

pytestmark = pytest.mark.both_databases


@pytest.mark.parametrize(
    ("typed", "ore"),
    [
        ("600 000", 60_000_000),
        ("1 000,50", 100_050),
        ("600 000 kr", 60_000_000),
        ("1000.5", 100_050),
        ("0", 0),
        ("12 345,6", 1_234_560),
    ],
)
def test_amounts_typed_by_a_person_parse_to_ore(typed, ore):
    assert parse_money(typed) == ore


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1,005", "1e400", "99999999999999", "NaN"])
def test_bad_amounts_are_refused_in_swedish(typed):
    with pytest.raises(ValidationError):
        parse_money(typed)


def test_the_largest_amount_the_database_holds_parses_and_one_krona_more_is_refused():
    assert parse_money("21 474 836,47") == 2**31 - 1
    with pytest.raises(ValidationError):
        parse_money("21 474 836,48")


def test_the_largest_amount_is_named_in_the_message_as_the_portal_shows_money():
    with pytest.raises(ValidationError) as refused:
        parse_money("21 474 837")
    assert "21\u00a0474\u00a0836\u00a0kr" in str(refused.value.message)


def test_decimal_with_comma_parses():
    assert str(parse_decimal("12,5")) == "12.5"
    with pytest.raises(ValidationError):
        parse_decimal("tolv")


def test_markdown_keeps_formatting_and_drops_script_handlers_and_javascript_links():
    html = markdown_html(
        "**Bokstart** [länk](javascript:alert(1)) <script>alert(1)</script>"
        ' <img src=x onerror="alert(1)"> {{7*7}}'
    )
    assert "<strong>Bokstart</strong>" in html
    assert 'href="javascript' not in html
    assert "<script" not in html and "<img" not in html
    assert "{{7*7}}" in html


def test_markdown_as_text_keeps_paragraphs_lists_and_links_without_marks():
    text = markdown_text(
        "# Bokstart\n\nVi läser **högt** och _gärna_,\nvarje vecka.\n\n"
        "- [Kramfors](https://kramfors.example/bokstart)\n- Timrå\n"
        "  1. BVC\n  2. Öppna förskolan\n\n"
        "Mejla <karin@kramfors.example>."
    )
    assert text == (
        "Bokstart\n\n"
        "Vi läser högt och gärna,\nvarje vecka.\n\n"
        "- Kramfors (https://kramfors.example/bokstart)\n- Timrå\n"
        "  1. BVC\n  2. Öppna förskolan\n\n"
        "Mejla karin@kramfors.example."
    )


def test_markdown_excerpt_is_one_line_of_text_cut_at_a_word():
    assert markdown_excerpt("## Läsning\n\n**Högläsning** på BVC i Timrå", 30) == (
        "Läsning Högläsning på BVC i …"
    )


def test_markdown_html_keeps_single_line_breaks_only_when_asked():
    assert "<br>" in markdown_html("Rad ett\nrad två", breaks=True)
    assert "<br>" not in markdown_html("Rad ett\nrad två")


def test_the_writers_headings_sit_under_the_pages_own():
    assert markdown_html("# Bokstart\n\n## Kramfors") == "<h2>Bokstart</h2>\n<h3>Kramfors</h3>\n"
    under_a_section = markdown_html("# Bokstart\n\n## Kramfors", top_heading=3)
    assert under_a_section == "<h3>Bokstart</h3>\n<h4>Kramfors</h4>\n"
