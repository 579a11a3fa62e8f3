"""A region in one file: `portal import-region regions/x.toml` sets up everything about a
county's library collaboration that is data (its county library, municipalities and their
libraries, partners, funders and their contacts, the plan period with its goal areas, the
target groups and the report templates). regions/ beside the package holds the files."""

from pathlib import Path

# The repository's regions/ folder: the portal runs from its checkout (an editable install, or
# /app in the image), as it does for templates/ and migrations/.
REGIONS_DIR = Path(__file__).resolve().parents[2] / "regions"
