"""The reviewer's name defaults to the login name only when it looks like a person's (issue 12
item 5): never root, a cloud image's default user, a CI runner or a service account; then the
questionnaire asks without a default."""

from __future__ import annotations

import os

import pytest

from sti_review.questionnaire.session import default_reviewer_name, looks_like_a_person

PEOPLE = ["aya", "tanaka", "Aya Tanaka", "田中 綾", "suzuki2", "j.smith", "Jean-Luc Picard", "mueller"]
NOT_PEOPLE = [
    "root",
    "ROOT",
    "admin",
    "Administrator",
    "ubuntu",
    "user",
    "user1",
    "nobody",
    "runner",
    "ec2-user",
    "www-data",
    "jenkins",
    "gitlab-runner",
    "_spotlight",
    "DESKTOP-1$",
    "12345",
    "1001",
    "",
    "   ",
    "---",
    "backup-svc",
    "svc_build",
    "deploy-bot",
    "Build Service",
    "GitHub Actions runner",
    "x" * 200,
]


@pytest.mark.parametrize("name", PEOPLE)
def test_a_person_s_name_is_offered(name):
    assert looks_like_a_person(name)


@pytest.mark.parametrize("name", NOT_PEOPLE)
def test_an_account_that_is_no_one_is_not_offered(name):
    assert not looks_like_a_person(name)


class _Entry:
    def __init__(self, gecos: str):
        self.pw_gecos = gecos


def _account(monkeypatch, login: str, gecos: str = "", uid: int = 1000) -> None:
    import getpass
    import pwd

    monkeypatch.setattr(os, "getuid", lambda: uid)
    monkeypatch.setattr(pwd, "getpwuid", lambda _uid: _Entry(gecos))
    monkeypatch.setattr(getpass, "getuser", lambda: login)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX accounts")
@pytest.mark.parametrize(
    ("login", "gecos", "uid", "expected"),
    [
        ("aya", "Aya Tanaka,,,", 1000, "Aya Tanaka"),
        ("aya", "", 1000, "aya"),
        ("root", "root", 0, ""),
        ("aya", "Aya Tanaka", 0, ""),  # the superuser, whatever it is called
        ("ubuntu", "Ubuntu", 1000, ""),
        ("runner", "", 1001, ""),
        ("1001", "", 1001, ""),
        ("www-data", "www-data", 33, ""),
    ],
)
def test_the_default_is_a_person_or_nothing(monkeypatch, login, gecos, uid, expected):
    _account(monkeypatch, login, gecos, uid)
    assert default_reviewer_name() == expected


def test_root_is_asked_for_a_name_without_a_default(invoke, tmp_path, monkeypatch):
    """At the questionnaire, no "(default: root)": an empty answer asks again."""
    _account(monkeypatch, "root", "root", 0)
    from .conftest import EXAMPLES

    review = tmp_path / "r.review.yaml"
    result = invoke(
        "assess",
        EXAMPLES / "satreps-flood-ews-th.yaml",
        "--review",
        review,
        "--interactive",
        "--lang",
        "en",
        input="y\n0\n\nAya\n",  # the declaration comes first (issue 14)
    )
    assert "[Enter: root]" not in result.stdout and "[Enter:" not in result.stdout.split("A1")[0]
    assert "Aya" in review.read_text(encoding="utf-8")
