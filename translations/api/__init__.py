"""API views of the translations app: the slang glossary (glossary.py) and the dictionary
(dictionary.py); routes in rednote/api_urls.py."""
