"""REST API for feeds (/api/v1/): one module per resource (`tags` for hashtag pages, follows and
trending; the home feed, Discover and search have their own), routed in rednote/api_urls.py."""
