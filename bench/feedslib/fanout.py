def run(args) -> list[str]:
    return []
