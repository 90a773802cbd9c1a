"""What the bench scripts share: logging a demo account in over HTTP."""

from __future__ import annotations

import httpx

DEMO_PASSWORD = "ustaz-demo"  # noqa: S105 - the demo university's documented password


def log_in(base: str, login: str, timeout: float = 30) -> httpx.Client | None:
    """A client with the account's session (and CSRF cookie), or None when the login is refused."""
    client = httpx.Client(base_url=base, timeout=timeout)
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        data={"login": login, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": client.cookies.get("csrftoken", "")},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    if response.status_code != 302 or "sessionid" not in client.cookies:
        client.close()
        return None
    return client
