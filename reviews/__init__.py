"""Annotations, challenges, interviews, reviews and scorecards, built on whiteboard's services."""
