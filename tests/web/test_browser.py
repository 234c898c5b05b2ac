"""End to end in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against the real server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
KHP = "King's Health Partners"

pytestmark = pytest.mark.browser
if not CHROMIUM.exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python (test extra)")
expect = sync_api.expect


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def record_requests(page: object) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))  # type: ignore[attr-defined]
    return seen


def assert_all_local(urls: list[str]) -> None:
    assert urls
    hosts = {urlsplit(url).hostname for url in urls}
    assert hosts == {"127.0.0.1"}, hosts


def status_count(page: object) -> int:
    text = page.locator("#result-status").inner_text()  # type: ignore[attr-defined]
    return int(re.match(r"([\d,]+) article", text).group(1).replace(",", ""))  # type: ignore[union-attr]


def facet_count(page: object, facet: str, value: str) -> int:
    label = page.locator(f'#list-{facet} li:has(input[value="{value}"]) .count')  # type: ignore[attr-defined]
    return int(label.inner_text().split()[0])


def test_search_narrow_and_open_an_article_with_javascript(browser: object, live_server: tuple[str, Path, Path],
                                                         tmp_path: Path) -> None:
    base, _corpus, _index = live_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    requests = record_requests(page)
    page.goto(base + "/")
    expect(page.locator("#results-heading")).to_have_text("All articles")
    everything = status_count(page)
    page.evaluate("window.__sameDocument = true")  # survives only if no full page load happens

    # typing updates the results in place and the URL follows
    page.locator("#q").press_sequentially("asthma", delay=40)
    expect(page.locator("#results-heading")).to_have_text("Results for “asthma”")
    expect(page.locator(".hit-title a").first).to_have_text(KHP)
    expect(page).to_have_url(re.compile(r"/search\?q=asthma$"))

    # browse everything, tick a topic: results and the other facets' counts change, its own facet's do not
    page.locator("#q").fill("")
    page.locator("#q").dispatch_event("input")
    expect(page.locator("#results-heading")).to_have_text("All articles")
    uk_before = facet_count(page, "country", "United Kingdom")
    other_topic = page.locator('#list-topics input:not([value="Cancer"])').first.get_attribute("value")
    other_before = facet_count(page, "topics", other_topic)
    page.locator('#list-topics input[value="Cancer"]').check()
    expect(page.locator(".chip")).to_have_text(re.compile(r"Topics:\s*Cancer"))
    expect(page).to_have_url(re.compile(r"/search\?topics=Cancer$"))
    with_cancer = status_count(page)
    assert 0 < with_cancer < everything
    assert facet_count(page, "country", "United Kingdom") < uk_before
    assert facet_count(page, "topics", other_topic) == other_before  # disjunctive: own facet ignores its selection
    expect(page.locator('#list-topics input[value="Cancer"]')).to_be_checked()

    # untick: back to everything
    page.locator('#list-topics input[value="Cancer"]').uncheck()
    expect(page.locator(".chip")).to_have_count(0)
    assert status_count(page) == everything
    assert facet_count(page, "country", "United Kingdom") == uk_before

    # back/forward replay the states
    page.go_back()
    expect(page.locator(".chip")).to_have_text(re.compile(r"Topics:\s*Cancer"))
    page.go_forward()
    expect(page.locator(".chip")).to_have_count(0)

    # the walk: "asthma", topic Cancer, a country, the article
    page.locator("#q").fill("asthma")
    page.locator("#q").press("Enter")
    expect(page.locator("#results-heading")).to_have_text("Results for “asthma”")
    page.locator('#list-topics input[value="Cancer"]').check()
    expect(page.locator(".chip")).to_have_count(1)
    page.locator('#list-country input[value="United Kingdom"]').check()
    expect(page.locator(".chip")).to_have_count(2)
    expect(page.locator(".hit-title a").first).to_have_text(KHP)
    assert page.evaluate("window.__sameDocument") is True
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    page.locator(".hit-title a", has_text=KHP).click()
    expect(page.locator("h1")).to_have_text(KHP)
    expect(page.locator(".infobox")).to_contain_text("United Kingdom")
    expect(page.locator("#s-research")).to_have_text("Research")
    expect(page.locator(".related-list li").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)

    # an entity link leads back to the search filtered by it
    page.locator(".entity-list a", has_text="MRC Centre for Transplantation").click()
    expect(page).to_have_url(re.compile(r"/search\?centres=MRC\+Centre\+for\+Transplantation$"))
    expect(page.locator('input[name="centres"][value="MRC Centre for Transplantation"]')).to_be_checked()
    expect(page.locator(".hit-title a", has_text=KHP)).to_be_visible()

    assert_all_local(requests)
    assert (tmp_path / "search.png").stat().st_size > 10_000
    context.close()


def test_the_page_works_with_javascript_off(browser: object, live_server: tuple[str, Path, Path],
                                            tmp_path: Path) -> None:
    base, _corpus, _index = live_server
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    requests = record_requests(page)
    page.goto(base + "/")
    page.locator("#q").fill("asthma")
    page.locator("#search-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/search\?q=asthma"))
    expect(page.locator(".hit-title a").first).to_have_text(KHP)

    # without JavaScript a ticked box is applied by the visible "Apply filters" button
    page.locator("#filters-details > summary").click() if not page.locator("#filters-body").is_visible() else None
    page.locator('#list-topics input[value="Cancer"]').check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"topics=Cancer"))
    expect(page.locator(".chip")).to_have_count(1)
    expect(page.locator(".hit-title a").first).to_have_text(KHP)
    page.screenshot(path=str(tmp_path / "nojs-360.png"), full_page=True)

    page.locator(".chip").click()  # the chip is a plain link that removes the filter
    expect(page.locator(".chip")).to_have_count(0)
    assert "topics=" not in page.url

    page.locator("#sort").select_option("title")
    page.get_by_role("button", name="Sort").click()
    expect(page).to_have_url(re.compile(r"sort=title"))
    assert_all_local(requests)
    context.close()


def test_dark_mode_and_narrow_screens_render(browser: object, live_server: tuple[str, Path, Path],
                                             tmp_path: Path) -> None:
    base, _corpus, _index = live_server
    context = browser.new_context(color_scheme="dark", viewport={"width": 360, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base + "/search?q=research")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 23, 26)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    expect(page.locator("#filters-details")).not_to_have_attribute("open", "")  # filters fold away on phones
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.screenshot(path=str(tmp_path / "dark-360.png"))
    context.close()


def test_a_long_facet_gets_a_filter_box_that_survives_updates(browser: object, live_server: tuple[str, Path, Path]) -> None:
    base, _corpus, _index = live_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base + "/search")
    page.get_by_role("link", name="Show all organisations").click()
    expect(page).to_have_url(re.compile(r"expand=organisations"))
    box = page.get_by_role("searchbox", name="Filter Organisations values")
    expect(box).to_be_visible()
    box.fill("king's")
    visible = page.locator("#list-organisations li:visible")
    names = [n.lower() for n in visible.locator(".value").all_inner_texts()]
    assert names and all("king's" in n for n in names)
    assert page.locator("#list-organisations li").count() > len(names)
    checkbox = page.locator('#list-organisations li:visible input').first
    checkbox_id = checkbox.get_attribute("id")
    checkbox.focus()
    page.keyboard.press("Space")  # keyboard only
    expect(page.locator(".chip")).to_have_count(1)
    expect(page.get_by_role("searchbox", name="Filter Organisations values")).to_have_value("king's")
    expect(page.locator(f"#{checkbox_id}")).to_be_focused()
    expect(page.locator(f"#{checkbox_id}")).to_be_checked()
    context.close()
