"""Admin: desk (see __init__)."""
