"""Placing a field of a region file on its line, for the error messages."""

from portal.regions.lines import field_lines, line_of

TEXT = '''\
target_groups = [
    "Barn och unga",
    "Äldre",
]

[county_library]
name = "Länsbiblioteket"
footer_text = """
Länsbiblioteket och
name = "inte en nyckel"
"""
contact_email = "a@b.example"

[[municipalities]]
name = "Ragunda"

[[municipalities]]
name = "Bräcke"
scb_code = "2305"

[plan_period]
[[plan_period.goal_areas]]
name = "Läsfrämjande"
[[plan_period.goal_areas]]
name = "Digital delaktighet"

[[report_templates]]
sections = [
    { title = "Sammanfattning", source = "narrative" },
    { title = "Ekonomi", source = "pengar" },
]
'''


def line(path: str) -> int | None:
    return line_of(field_lines(TEXT), path)


def test_keys_and_the_items_of_arrays_of_tables_are_placed_on_their_lines():
    assert line("county_library.name") == 7
    assert line("municipalities[2].scb_code") == 19
    assert line("plan_period.goal_areas[2].name") == 25


def test_nothing_inside_a_multi_line_string_is_taken_for_a_key():
    assert line("county_library.footer_text") == 8
    assert line("county_library.contact_email") == 12


def test_items_of_an_array_written_one_per_line_are_placed_on_theirs():
    assert line("target_groups[2]") == 3
    assert line("report_templates[1].sections[2].source") == 30


def test_a_field_not_written_gets_the_line_of_what_encloses_it():
    assert line("municipalities[1].scb_code") == 14
    assert line("nowhere") is None
