"""Any county's library can run the portal: its name, municipalities and funders are data
(regions/*.toml). Nothing in the code or the templates names the county the demo comes from."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTY = re.compile(r"v[äa]sternorrland", re.IGNORECASE)


def test_no_code_or_template_names_the_demo_county():
    named = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("portal", "templates")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in {".py", ".html", ".txt", ".js", ".css", ".toml"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if COUNTY.search(line)
    ]
    assert named == []
