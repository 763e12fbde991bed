"""The vendored specs in specs/ are served correctly by Prism (plain httpx).

Prism ignores the path part of servers[].url, so requests go to
``base_url + <operation path>``.
"""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.e2e

PORTKEY_AUTH = {"x-portkey-api-key": "pk-test", "x-portkey-virtual-key": "vk-test"}

# spec name -> (path of the cancel operation, credentials, request JSON body)
CASES = {
    "together": ("/fine-tunes/ft-1/cancel", {"Authorization": "Bearer x"}, None),
    "dataherald": ("/api/v1/finetunings/ft-1/cancel", {}, {"finetuning_id": "ft-1"}),
    "portkey": ("/fine_tuning/jobs/ft-1/cancel", PORTKEY_AUTH, None),
}
SECURED = ["together", "portkey"]


def cancel(prism, spec, headers=None, with_auth=True):
    path, auth, body = CASES[spec]
    sent = dict(auth) if with_auth else {}
    sent.update(headers or {})
    server = prism(spec)
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        return client.post(path, headers=sent, json=body)


@pytest.mark.parametrize("spec", list(CASES))
def test_cancel_returns_200_json(prism, spec):
    response = cancel(prism, spec)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict) and body["id"]


def test_together_returns_spec_example(prism):
    body = cancel(prism, "together").json()
    assert body["id"] == "ft-01234567890123456789"
    assert body["status"] == "completed"


def test_dataherald_returns_page_example(prism):
    body = cancel(prism, "dataherald").json()
    assert body["status"] == "cancelled"
    assert body["base_llm"]["model_parameters"] == {"n_epochs": "1"}
    assert body["finetuning_job_id"] is None


def test_portkey_returns_page_example(prism):
    body = cancel(prism, "portkey").json()
    assert body["object"] == "fine_tuning.job"
    assert body["hyperparameters"] == {"n_epochs": "auto"}
    assert body["integrations"][0]["wandb"]["project"] == "my-wandb-project"


@pytest.mark.parametrize("spec", SECURED)
def test_missing_credentials_give_401(prism, spec):
    response = cancel(prism, spec, with_auth=False)
    assert response.status_code == 401, response.text


def test_portkey_needs_both_keys(prism):
    response = cancel(prism, "portkey", with_auth=False, headers={"x-portkey-api-key": "pk-test"})
    assert response.status_code == 401, response.text


def test_together_rejects_non_bearer_scheme(prism):
    response = cancel(prism, "together", with_auth=False, headers={"Authorization": "Basic eDp4"})
    assert response.status_code == 401, response.text


@pytest.mark.parametrize("spec", list(CASES))
def test_prefer_code_404(prism, spec):
    response = cancel(prism, spec, headers={"Prefer": "code=404"})
    assert response.status_code == 404, response.text


def test_dataherald_validates_request_body(prism):
    server = prism("dataherald")
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        missing = client.post(CASES["dataherald"][0])
        wrong_type = client.post(CASES["dataherald"][0], json={"finetuning_id": "ft-1", "metadata": {"a": 1}})
        null_metadata = client.post(CASES["dataherald"][0], json={"finetuning_id": "ft-1", "metadata": None})
    # The operation declares 422, so Prism answers with that response's
    # example; the details are only in the sl-violations header.
    assert missing.status_code == 422
    assert wrong_type.status_code == 422
    assert "metadata" in wrong_type.headers.get("sl-violations", "")
    assert null_metadata.status_code == 200


def test_one_server_per_spec(prism):
    assert prism("together") is prism("together")
    assert prism("together").base_url != prism("portkey").base_url
