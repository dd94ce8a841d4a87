"""Pages of the translations app: the slang glossary (glossary.py) and the dictionary
(dictionary.py)."""
