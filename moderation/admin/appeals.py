"""Admin: appeals (see __init__)."""
