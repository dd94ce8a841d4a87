from tests.translations.servers import (  # noqa: F401 (fixtures)
    deepl_server,
    libretranslate_server,
    openai_server,
    provider_server,
)
