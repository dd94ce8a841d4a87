"""Admin: audit (see __init__)."""
