"""A project's progress: milestones, progress updates, indicators and their measurements, the
history, and who follows the project."""
