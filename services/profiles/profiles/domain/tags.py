"""Tags (languages, interests, goals, skills wanted): trimmed, lowercased, each once, in order."""


def normalized_tags(values) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values or ():
        tag = str(value).strip().lower()
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)
