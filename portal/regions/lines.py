"""Where in a region file a field is written, so an error can name its line.

tomllib (the standard library's parser, which reads the values) keeps no positions, nor does
any maintained TOML library for Python that we know of (tomlkit keeps the formatting, not line
numbers). The files are written by hand in the plain style of regions/*.toml, so a light scan
of table headers, `key =` lines and the items of arrays written one per line is enough; a field
it cannot place gets the line of the nearest enclosing key or table it can.
"""

import re

HEADER = re.compile(r"^\s*(\[\[|\[)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
KEY = re.compile(r'^\s*([A-Za-z0-9_-]+|"[^"]*")\s*=\s*(.*)$')
ENCLOSED = re.compile(r"(\[\d+\]|\.[^.\[\]]+)$")  # the last item or key of a path
STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def field_lines(text: str) -> dict[str, int]:
    """The line number (from 1) of every table, key and one-per-line array item, by the path
    the errors use: `county_library.name`, `municipalities[3].scb_code`, `target_groups[2]`
    (array items counted from 1, as a person counts them)."""
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    table = ""
    array: str | None = None  # the key of a multi-line array being read
    depth = 0
    in_string = False
    for number, raw in enumerate(text.splitlines(), start=1):
        opens_or_closes = raw.count('"""') % 2 == 1 or raw.count("'''") % 2 == 1
        if in_string:  # inside a multi-line string: nothing here is a key
            in_string = not opens_or_closes
            continue
        in_string = opens_or_closes  # the key before `"""` still counts, below
        line = STRING.sub('""', raw).split("#", 1)[0]
        if array is not None:
            if depth == 1 and line.strip() and not line.strip().startswith("]"):
                counts[array] = counts.get(array, 0) + 1
                lines.setdefault(f"{array}[{counts[array]}]", number)
            depth += line.count("[") - line.count("]")
            if depth <= 0:
                array = None
            continue
        header = HEADER.match(raw)
        if header:
            table = _table_path(header.group(1) == "[[", header.group(2), counts)
            lines.setdefault(table, number)
            continue
        key = KEY.match(raw)
        if key:
            path = f"{table}.{key.group(1).strip(chr(34))}" if table else key.group(1).strip('"')
            lines.setdefault(path, number)
            value = STRING.sub('""', key.group(2)).split("#", 1)[0]
            opened = value.count("[") - value.count("]")
            if value.strip().startswith("[") and opened > 0:
                array, depth = path, opened
    return lines


def line_of(lines: dict[str, int], path: str) -> int | None:
    """The line of `path`, else of the nearest enclosing field the scan placed."""
    while path not in lines:
        shorter = ENCLOSED.sub("", path)
        if shorter == path:
            return None
        path = shorter
    return lines[path]


def _table_path(is_array: bool, dotted: str, counts: dict[str, int]) -> str:
    """`[[plan_period.goal_areas]]` → `plan_period.goal_areas[2]` when it is the second; each
    part above the last resolved to the latest item of an array of tables."""
    parts = [piece.strip().strip('"') for piece in dotted.split(".")]
    path = ""
    for part in parts[:-1] if is_array else parts:
        path = f"{path}.{part}" if path else part
        if path in counts:
            path = f"{path}[{counts[path]}]"
    if not is_array:
        return path
    path = f"{path}.{parts[-1]}" if path else parts[-1]
    counts[path] = counts.get(path, 0) + 1
    return f"{path}[{counts[path]}]"
