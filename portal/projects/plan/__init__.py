"""The regional library plan: plan periods, goal areas, target groups, and the pages that show
projects under them."""
