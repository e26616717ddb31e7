from django.db import connection


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert response["X-Request-ID"]
