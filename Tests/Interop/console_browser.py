#!/usr/bin/env python3
"""Drives the operator console in headless Chromium (Debian's chromium and chromium-driver,
PyPI selenium) against a running dispatcher, as a person would: search for a seeded item,
open it, add an item through the form (a negative price first: the API's field error shows
next to the field), sell and pawn it and watch the timeline follow in order, try a listed
client (the 403 shows as a message), open the platform page; then the same pages at phone
width. Every form control has a label, and text on the search, item and platform pages has a
WCAG AA contrast (4.5:1) against its background. Exits 1 on any failed step and on any browser console error (the only network errors
allowed are the 400 and 403 this scenario provokes on purpose).

    console_browser.py BASE_URL --fraudster NAME [--screenshots DIR]
"""
import argparse
import os
import sys
import time
import uuid

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

parser = argparse.ArgumentParser()
parser.add_argument("base")
parser.add_argument("--fraudster", required=True)
parser.add_argument("--screenshots")
arguments = parser.parse_args()
base = arguments.base.rstrip("/")

options = webdriver.ChromeOptions()
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
             "--window-size=1280,1000", "--disable-extensions", "--no-first-run"]:
    options.add_argument(flag)
for binary in ["/usr/bin/chromium", "/usr/bin/chromium-browser"]:
    if os.path.exists(binary):
        options.binary_location = binary
        break
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver_path = next((p for p in ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"] if os.path.exists(p)), None)
driver = webdriver.Chrome(service=Service(driver_path) if driver_path else None, options=options)
# A view replaces its elements when an answer comes in: an element found a moment ago may
# be gone, which only means "look again".
wait = WebDriverWait(driver, 30, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))
problems = []
console_lines = []


def step(name):
    print(f"step: {name}", flush=True)


def shot(name):
    if arguments.screenshots:
        os.makedirs(arguments.screenshots, exist_ok=True)
        driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.3)  # let the last answer paint
        driver.save_screenshot(os.path.join(arguments.screenshots, f"{name}.png"))


def collect_console():
    for entry in driver.get_log("browser"):
        console_lines.append(entry)


def heading():
    return wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "main h1").text)


def wait_text(selector, text, timeout=30):
    WebDriverWait(driver, timeout).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text))


def form_for(action):
    return driver.find_element(By.CSS_SELECTOR, f'form[data-action="{action}"]')


def fill(form, name, value):
    control = form.find_element(By.NAME, name)
    control.clear()
    control.send_keys(value)


CONTRAST = """
// WCAG 2 contrast of each text element against its effective background; returns those
// below 4.5:1 (AA for normal text), with their text and the ratio.
function rgb(value) { const m = value.match(/[\\d.]+/g) || []; return m.map(Number); }
function luminance([r, g, b]) {
  const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function background(element) {
  for (let e = element; e; e = e.parentElement) {
    const [r, g, b, a] = rgb(getComputedStyle(e).backgroundColor);
    if (a === undefined || a > 0) return [r, g, b];
  }
  return [255, 255, 255];
}
const low = [];
for (const e of document.querySelectorAll('body *')) {
  if (!e.offsetParent && getComputedStyle(e).position !== 'fixed') continue;
  const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const a = luminance(rgb(getComputedStyle(e).color)), b = luminance(background(e));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) low.push(`${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
}
return low;
"""


def low_contrast():
    return driver.execute_script(CONTRAST)


def every_control_labelled():
    return driver.execute_script(
        "return [...document.querySelectorAll('main input, main select')]"
        ".filter(c => c.labels === null || c.labels.length === 0).map(c => c.name)")


try:
    step("the console loads at /, in-stock items listed")
    driver.get(base + "/")
    assert heading() == "Find items", heading()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table tbody tr")))
    assert not every_control_labelled(), every_control_labelled()

    step("search by name for a seeded item, with the keyboard")
    Select(driver.find_element(By.NAME, "by")).select_by_value("name")
    name_field = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'input[name="value"]')))
    name_field.send_keys("Gold ring", Keys.ENTER)
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, 'a[href="#/item/ring-1"]')))
    rows = driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
    assert any("ring-1" in row.text for row in rows), [row.text for row in rows]
    shot("search")
    assert not low_contrast(), low_contrast()

    step("open the item: its fields and its timeline")
    driver.find_element(By.CSS_SELECTOR, 'a[href="#/item/ring-1"]').click()
    wait_text("main h1", "Gold ring")
    assert "Added" in driver.find_element(By.CSS_SELECTOR, "ol.timeline").text

    step("add an item: a negative price gets the API's field error next to the field")
    item_id = f"lamp-{uuid.uuid4().hex[:8]}"
    driver.get(base + "/#/add")
    wait_text("main h1", "Add an item")
    form = driver.find_element(By.CSS_SELECTOR, "main form")
    assert not every_control_labelled(), every_control_labelled()
    fill(form, "id", item_id)
    fill(form, "name", "Brass lamp")
    Select(form.find_element(By.NAME, "category")).select_by_value("Decoration")
    fill(form, "price", "-500")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: form.find_element(By.CSS_SELECTOR, '[data-error-for="price"]').text.strip() != "")
    error = form.find_element(By.CSS_SELECTOR, '[data-error-for="price"]').text
    assert form.find_element(By.NAME, "price").get_attribute("aria-invalid") == "true"
    print(f"  the field error: {error}")
    shot("form")
    fill(form, "price", "1500")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(EC.url_contains(f"#/item/{item_id}"))
    wait_text("main h1", "Brass lamp")
    wait_text("main h1", "In stock")

    step("sell it, then pawn it: the timeline follows in order")
    sell = form_for("sell")
    fill(sell, "clientId", "ana")
    fill(sell, "price", "2500")
    sell.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_text("main h1", "With a client")
    wait_text("ol.timeline", "Sold to ana")
    pawn = form_for("pawn")
    fill(pawn, "clientId", "ana")
    fill(pawn, "price", "1000")
    pawn.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_text("main h1", "Pawned")
    wait_text("ol.timeline", "Pawned by ana")
    entries = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ol.timeline li")]
    order = [next(i for i, text in enumerate(entries) if marker in text) for marker in ["Added", "Sold to ana", "Pawned by ana"]]
    assert order == sorted(order), entries
    assert "due" in driver.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert not low_contrast(), low_contrast()
    shot("item")

    step("a listed client is refused: the 403 shows as a message")
    redeem = form_for("redeem")
    fill(redeem, "clientId", arguments.fraudster)
    redeem.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: "Refused" in redeem.find_element(By.CSS_SELECTOR, ".message").text)
    print(f"  the message: {redeem.find_element(By.CSS_SELECTOR, '.message').text}")

    step("the platform page: health and live figures")
    driver.get(base + "/#/platform")
    wait_text("main h1", "Platform")
    wait_text("main dl.facts", "Workers joined")
    wait.until(lambda d: all(f.text not in ("", "…") for f in d.find_elements(By.CSS_SELECTOR, ".figure")))
    time.sleep(3.5)  # a second sample: the rates and the p99 have a previous one
    assert not low_contrast(), low_contrast()
    shot("platform")

    step("phone width: no page scrolls sideways")
    driver.set_window_size(390, 844)
    for path in ["/#/", f"/#/item/{item_id}", "/#/add", "/#/platform"]:
        driver.get(base + path)
        heading()
        time.sleep(0.5)
        wide = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 1, f"{path} is {wide} px wider than a phone"
    driver.get(base + f"/#/item/{item_id}")
    wait_text("ol.timeline", "Pawned by ana")
    shot("item-phone")
except Exception as failure:  # noqa: BLE001 — every failure is reported the same way
    problems.append(f"{type(failure).__name__}: {failure}")
    try:
        print("page text at the failure:\n" + driver.find_element(By.TAG_NAME, "body").text[:3000])
    except Exception:  # noqa: BLE001
        pass
finally:
    try:
        collect_console()
    finally:
        driver.quit()

expected = ("status of 400", "status of 403")
for entry in console_lines:
    if entry.get("level") != "SEVERE":
        continue
    message = entry.get("message", "")
    if entry.get("source") == "network" and any(code in message for code in expected):
        continue
    problems.append(f"browser console: {message}")

if problems:
    for problem in problems:
        print(f"FAILED {problem}")
    sys.exit(1)
print("console: every step passed, no console error")
