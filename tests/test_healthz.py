"""The public /healthz says how things stand, never why; the details are for this machine
(issue 22 item 13: it showed the server's data path and the text of a rejected edit)."""

from __future__ import annotations

import pytest

from tests.test_lastgood import broken

PUBLIC_KEYS = {"status", "menus_version", "loaded_at", "problems", "prompts"}


def test_the_public_healthz_of_a_rejected_edit_has_no_path_and_no_text(client, menus_file):
    broken(menus_file)  # an edit with `goto: nowhere`
    answer = client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
    health = answer.get_json()
    assert set(health) == PUBLIC_KEYS
    assert health["status"] == "stale"
    assert health["problems"] == {"rejected_edit": 2, "seeds": 0}  # as validate counts them
    body = answer.get_data(as_text=True)
    assert str(menus_file.parent) not in body and "menus.yaml" not in body
    assert "nowhere" not in body


def test_the_details_say_what_and_where_to_a_client_on_this_machine(client, menus_file):
    broken(menus_file)
    details = client.get("/healthz/details").get_json()
    assert set(details) == PUBLIC_KEYS | {"menus_path", "last_reload_error", "seeds_missing"}
    assert details["menus_path"] == str(menus_file)
    assert details["last_reload_error"].startswith(f"{menus_file}:")
    assert "no menu named 'nowhere'" in details["last_reload_error"]
    assert details["seeds_missing"] is None


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.53", "::1", "::ffff:127.0.0.1"])
def test_the_details_answer_loopback_addresses(client, address):
    answer = client.get("/healthz/details", environ_base={"REMOTE_ADDR": address})
    assert answer.status_code == 200


@pytest.mark.parametrize("address", ["203.0.113.9", "10.0.0.11", "::ffff:10.0.0.1",
                                     "2001:db8::1", "not an address"])
def test_the_details_are_absent_for_any_other_address(client, address):
    answer = client.get("/healthz/details", environ_base={"REMOTE_ADDR": address})
    assert answer.status_code == 404
    assert b"menus" not in answer.data


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded", "X-Real-IP", "Via"])
def test_the_details_are_absent_through_a_proxy_on_this_machine(client, header):
    answer = client.get("/healthz/details", headers={header: "203.0.113.9"})
    assert answer.status_code == 404


def test_the_public_healthz_answers_anyone(client):
    answer = client.get("/healthz", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert answer.status_code == 200 and answer.get_json()["status"] == "ok"
