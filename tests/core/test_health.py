import pytest

pytestmark = pytest.mark.django_db


def test_health_reports_each_dependency(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok", "queue": "ok", "status": "ok"}
