"""Browser: a person downloads their data from Settings, then deletes their account (password
asked again, then a confirmation); afterwards they cannot sign in and their profile and note
are gone. No CSP violation on the way."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import PASSWORD, NoteFactory, UserFactory

from .test_csp import Watcher
from .test_notes import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_download_data_then_delete_the_account(new_page, live_server):
    mei = UserFactory(handle="mei", display_name="Mei")
    note = NoteFactory(author=mei, title="Lanterns on the lake", images=2)
    page = new_page()
    watcher = Watcher(page.context)
    watcher.watch(page)
    log_in(page, "mei", next_url="/settings/")

    # Download your data: asked for, built by the (in-process) task, listed with its link.
    section = page.get_by_test_id("export-section")
    section.get_by_role("button", name="Ask for an archive").click()
    page.wait_for_url("**/settings/#export")
    expect(page.get_by_text("We are preparing your archive.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-download").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["handle"] == "mei"
    assert [n["title"] for n in data["notes"]] == ["Lanterns on the lake"]
    assert len([name for name in archive.namelist() if name.startswith("photos/")]) == 2

    # Delete the account: the password first, then the confirmation.
    page.get_by_test_id("delete-account-link").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/settings/delete/")
    page.get_by_test_id("delete-account-submit").click()  # not ticked: the browser asks
    assert User.objects.filter(handle="mei", is_active=True).exists()
    page.get_by_label("I understand that my account").check()
    page.get_by_test_id("delete-account-submit").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Your account is closed")).to_be_visible()
    assert not User.objects.filter(handle="mei").exists()

    assert page.goto("/@mei/").status == 404
    assert page.goto(f"/notes/{note.pk}/").status == 404
    page.goto("/accounts/login/")
    page.get_by_label("E-mail or handle").fill("mei")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".form")).to_be_visible()
    assert "/accounts/login/" in page.url
    # 404 pages log "Failed to load resource", which the watcher leaves out.
    watcher.assert_clean()
