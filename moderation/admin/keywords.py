"""Admin: keywords (see __init__)."""
