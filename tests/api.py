"""Assertions about the API's answers, shared by every app's API tests."""


def assert_error(response, status: int, *fields: str) -> dict:
    """The response is the shared error shape with this status, naming exactly `fields`."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body["errors"]) == set(fields), body["errors"]
    for messages in body["errors"].values():
        assert messages and all(isinstance(m, str) and m for m in messages)
    return body
