#!/usr/bin/env python3
"""Measures each console page in headless Chromium with the browser cache off: the bytes
transferred (the page, its scripts and styles, and the API answers it fetches, from the
Resource Timing entries) and the time from navigation start to the first contentful paint
and to the page's own content (its h1, drawn by the ES modules from the API's answers).
Prints a Markdown table; the medians of RUNS loads per page.

    console_weight.py BASE_URL [RUNS=7]
"""
import os
import statistics
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

base = sys.argv[1].rstrip("/")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
options = webdriver.ChromeOptions()
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000"]:
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.execute_cdp_cmd("Network.enable", {})
driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})

pages = [("search (in-stock items)", "/#/"), ("item (ring-1, its timeline and forms)", "/#/item/ring-1"),
         ("add form", "/#/add"), ("platform (health, first figures)", "/#/platform")]
measure = """
const done = arguments[arguments.length - 1];
const started = performance.now();
(function wait() {
  const h1 = document.querySelector('main h1');
  const ready = h1 && !document.querySelector('main .loading') && (!location.hash.startsWith('#/item/') || document.querySelector('ol.timeline'));
  if (!ready) { if (performance.now() - started < 10000) return setTimeout(wait, 5); }
  const content = performance.now();
  setTimeout(() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const paint = performance.getEntriesByType('paint').find(p => p.name === 'first-contentful-paint');
    done({
      bytes: navigation.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
      requests: 1 + resources.length,
      fcp: paint ? paint.startTime : null,
      content: content,
    });
  }, 300);
})();
"""
print("| page | transferred (KB) | requests | first contentful paint (ms) | content drawn (ms) |")
print("|---|---:|---:|---:|---:|")
for label, path in pages:
    samples = []
    for _ in range(runs):
        driver.get("about:blank")
        driver.get(base + path)
        samples.append(driver.execute_async_script(measure))
    kb = statistics.median(s["bytes"] for s in samples) / 1024
    requests = statistics.median(s["requests"] for s in samples)
    fcp = statistics.median(s["fcp"] for s in samples if s["fcp"] is not None)
    content = statistics.median(s["content"] for s in samples)
    print(f"| {label} | {kb:.1f} | {requests:.0f} | {fcp:.0f} | {content:.0f} |")
driver.quit()
