def run(args, url, create) -> list[str]:
    return []
