"""A project's economy: grants, contributions, budget lines and expenses, and the figures made
from them."""
