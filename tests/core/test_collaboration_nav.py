"""The collaboration menu is rendered once per process for each collaboration, role, language and page:
what it shows must still follow each of them."""

from __future__ import annotations

import re

from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from samverkan.core.cycle import STEPS


def _menu(html: str) -> str:
    found = re.search(r'<nav class="sidebar".*?</nav>', html, re.S)
    assert found, "no menu on the page"
    return found.group(0)


def _current(menu: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', menu)


def test_the_menu_marks_the_page_it_is_on(world):
    client = world.client("ledamot")
    home = reverse("core:collaboration_home", args=[world.a.pk])
    notices = reverse("core:notice_list", args=[world.a.pk])
    for _ in range(2):  # the second time from the process's copy
        assert _current(_menu(client.get(home).content.decode())) == [home]
        assert _current(_menu(client.get(notices).content.decode())) == [notices]


def test_the_menu_follows_the_role_the_language_and_the_name(world):
    url = reverse("core:collaboration_home", args=[world.a.pk])
    log = reverse("core:audit_log", args=[world.a.pk])
    samordnare = _menu(world.client("samordnare").get(url).content.decode())
    ledamot = _menu(world.client("ledamot").get(url).content.decode())
    assert log in samordnare and log not in ledamot
    english_client = world.client("ledamot")
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _menu(english_client.get(url).content.decode())
    assert "Overview" in english and "Översikt" not in english
    assert "Översikt" in _menu(world.client("ledamot").get(url).content.decode())
    world.a.name = "Omdöpt samverkan"
    world.a.save()
    assert "Omdöpt samverkan" in _menu(world.client("ledamot").get(url).content.decode())


def test_the_menu_is_what_its_template_renders(world):
    from samverkan.core.templatetags.samverkan import _collaboration_nav_html

    request = RequestFactory().get(reverse("core:notice_list", args=[world.a.pk]))
    request.user = world.users["samordnare"]
    page = Template("{% load samverkan %}{% collaboration_nav collaboration %}")
    _collaboration_nav_html.cache_clear()
    first = page.render(Context({"request": request, "collaboration": world.a}))
    again = page.render(Context({"request": request, "collaboration": world.a}))
    direct = Template("{% include 'core/_collaboration_nav.html' %}").render(
        Context({"request": request, "collaboration": world.a, "steps": STEPS, "nav_is_samordnare": True})
    )
    assert first == again == direct
    assert _collaboration_nav_html.cache_info().currsize == 1
