"""API test helpers: clients logged in as a fixture person, JSON shortcuts."""

from __future__ import annotations

import pytest
from django.test import Client

API = "/api/v1"
NOT_FOUND = {"detail": "未找到该对象，或您无权访问。"}


class ApiClient:
    """A Django test client that speaks JSON to /api/v1 as one person (session auth)."""

    def __init__(self, client: Client):
        self.client = client

    def get(self, path: str, **params):
        return self.client.get(API + path, params)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(API + path, body or {}, content_type="application/json")

    def patch(self, path: str, body: dict):
        return self.client.patch(API + path, body, content_type="application/json")

    def delete(self, path: str):
        return self.client.delete(API + path)


@pytest.fixture
def api_as():
    """``api_as(person)`` → an ApiClient with a session for that person."""

    def login(person) -> ApiClient:
        client = Client()
        client.force_login(person)
        return ApiClient(client)

    return login


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient(Client())


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]
