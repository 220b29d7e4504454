// The console's app.js: the views: search, item, add, platform; the hash router. Edit it here; it is served as written.
extension Console {
    static let appJS = #"""
        // The operator console: search, an item's timeline, the actions, the platform's health.
        // Plain ES modules over the public JSON API; every view is rebuilt from the API's answers.
        import { ApiError, act, follow, item as fetchItem, metrics, readiness, search } from "/console/api.js";
        import { Series } from "/console/charts.js";

        const categories = ["Reading", "Collection", "Decoration", "Clothing", "Jewelry", "Motor", "Electronics"];
        const conditions = ["New", "Good", "Bad", "Fatal"];
        const statuses = ["inStock", "withClient", "pawned"];
        const statusNames = { inStock: "In stock", withClient: "With a client", pawned: "Pawned" };

        /** Builds an element: h("a", {href: "#/"}, "text", child…). Text is never parsed as HTML. */
        function h(tag, attributes = {}, ...children) {
          const element = document.createElement(tag);
          for (const [key, value] of Object.entries(attributes)) {
            if (value === undefined || value === null || value === false) continue;
            if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
            else element.setAttribute(key, value === true ? "" : String(value));
          }
          for (const child of children.flat()) {
            if (child === undefined || child === null || child === false) continue;
            element.append(child instanceof Node ? child : document.createTextNode(String(child)));
          }
          return element;
        }

        const money = (cents) => (typeof cents === "number" ? (cents / 100).toFixed(2) : "—");
        const today = () => new Date().toISOString().slice(0, 10);
        const badge = (value, text = statusNames[value] ?? value) => h("span", { class: `badge ${value}` }, text);

        function notify(text) {
          const area = document.getElementById("notice");
          const line = h("p", {}, text);
          area.append(line);
          setTimeout(() => line.remove(), 6000);
        }

        // Events accepted and not applied or rejected yet, by item: shown as pending on its timeline.
        const pending = new Map();

        // MARK: - Forms

        /** A labelled field; `control` gets an id, the label points at it, errors go below it. */
        function field(name, label, control, hint) {
          const id = `f-${name}-${Math.random().toString(36).slice(2, 8)}`;
          control.id = id;
          control.name = name;
          control.setAttribute("aria-describedby", `${id}-error`);
          return h("div", { class: "field" },
            h("label", { for: id }, label),
            control,
            hint ? h("span", { class: "hint" }, hint) : null,
            h("span", { class: "error", id: `${id}-error`, "data-error-for": name }));
        }
        const text = (attributes = {}) => h("input", { type: "text", autocomplete: "off", ...attributes });
        const number = (attributes = {}) => h("input", { type: "number", inputmode: "numeric", step: "1", ...attributes });
        const date = () => h("input", { type: "date", value: today() });
        const choice = (options, names = {}, selected) =>
          h("select", {}, options.map((option) =>
            h("option", { value: option, selected: option === selected }, names[option] ?? option)));

        /** The form's values: numbers as numbers, empty optional fields left out. */
        function values(form, numeric = []) {
          const body = {};
          for (const [key, raw] of new FormData(form).entries()) {
            const value = String(raw).trim();
            if (value === "") continue;
            body[key] = numeric.includes(key) ? Number(value) : value;
          }
          return body;
        }

        function clearErrors(form) {
          for (const slot of form.querySelectorAll("[data-error-for]")) slot.textContent = "";
          for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
        }

        /**
         * Shows an API error: a refusal (403, a listed client) as the form's message; a field error
         * next to its field when the form has it; anything else as the message.
         */
        function showError(form, message, error) {
          const slot = error.field && error.status !== 403
            ? form.querySelector(`[data-error-for="${CSS.escape(error.field)}"]`)
            : null;
          if (slot) {
            slot.textContent = error.message;
            const control = form.querySelector(`[name="${CSS.escape(error.field)}"]`);
            control?.setAttribute("aria-invalid", "true");
            control?.focus();
            return;
          }
          message.className = "message bad";
          message.textContent = error.status === 403
            ? `Refused: ${error.message}`
            : error instanceof ApiError ? error.message : `The request failed: ${error.message}`;
        }

        /**
         * Submits `body()` as `action`; on 202 records the event as pending on `itemId`, follows it,
         * and calls `done` with its outcome.
         */
        function submitter(form, message, action, body, done) {
          return async (submit) => {
            submit.preventDefault();
            clearErrors(form);
            message.className = "message";
            message.textContent = "";
            const button = form.querySelector("button[type=submit]");
            button.disabled = true;
            try {
              const request = body();
              const accepted = await act(action, request);
              const itemId = request.itemId ?? request.id;
              const list = pending.get(itemId) ?? [];
              list.push({ eventId: accepted.eventId, action });
              pending.set(itemId, list);
              message.className = "message info";
              message.textContent = `Accepted (event ${accepted.eventId}); waiting for a worker…`;
              done?.("accepted", itemId);
              const outcome = await follow(accepted.eventId, () => {});
              pending.set(itemId, (pending.get(itemId) ?? []).filter((entry) => entry.eventId !== accepted.eventId));
              if (outcome.status === "applied") {
                message.className = "message good";
                message.textContent = `${action} applied.`;
              } else if (outcome.status === "rejected") {
                message.className = "message bad";
                message.textContent = `${action} rejected: ${outcome.reason ?? outcome.code}`;
              } else {
                message.textContent = `${action} still pending; it will show on the timeline once applied.`;
              }
              notify(message.textContent);
              done?.(outcome.status, itemId);
            } catch (error) {
              showError(form, message, error);
            } finally {
              button.disabled = false;
            }
          };
        }

        // MARK: - Search

        function searchView(params) {
          const by = params.get("by") ?? "status";
          const value = params.get("value") ?? "inStock";
          const form = h("form", { class: "inline card", role: "search", "aria-label": "Find items" });
          const byControl = choice(["name", "category", "state", "status"],
            { name: "Name", category: "Category", state: "Condition", status: "Status" }, by);
          const slot = h("div", { class: "contents" });
          const valueControl = (kind, current) => {
            if (kind === "category") return field("value", "Category", choice(categories, {}, current));
            if (kind === "state") return field("value", "Condition", choice(conditions, {}, current));
            if (kind === "status") return field("value", "Status", choice(statuses, statusNames, current));
            return field("value", "Name", text({ value: current, required: true, placeholder: "Gold ring" }));
          };
          slot.append(valueControl(by, value));
          byControl.addEventListener("change", () => slot.replaceChildren(valueControl(byControl.value, "")));
          form.append(field("by", "Search by", byControl), slot, h("button", { type: "submit" }, "Search"));
          form.addEventListener("submit", (event) => {
            event.preventDefault();
            const query = new URLSearchParams({ by: byControl.value, value: form.elements.value.value.trim() });
            location.hash = `#/?${query}`;
          });

          const results = h("section", { "aria-labelledby": "results-title" });
          const view = h("div", {}, h("h1", {}, "Find items"), form, results);
          load();
          return view;

          async function load() {
            if (!value) return;
            const body = h("tbody");
            const table = h("table", {},
              h("caption", { id: "results-title" }, `Items whose ${by === "state" ? "condition" : by} is “${statusNames[value] ?? value}”`),
              h("thead", {}, h("tr", {},
                h("th", { scope: "col" }, "Item"), h("th", { scope: "col" }, "Name"),
                h("th", { scope: "col", class: "hide-narrow" }, "Category"), h("th", { scope: "col", class: "hide-narrow" }, "Condition"),
                h("th", { scope: "col" }, "Status"), h("th", { scope: "col", class: "num" }, "Price"))),
              body);
            const more = h("button", { class: "secondary", type: "button" }, "More results");
            const status = h("p", { class: "muted", role: "status" });
            results.replaceChildren(h("div", { class: "table-wrap" }, table), status);
            let after = null;
            let shown = 0;
            async function page() {
              try {
                const answer = await search(by, value, after);
                for (const found of answer.items) {
                  body.append(h("tr", {},
                    h("td", {}, h("a", { href: `#/item/${encodeURIComponent(found.id)}` }, found.id)),
                    h("td", {}, found.name),
                    h("td", { class: "hide-narrow" }, found.category), h("td", { class: "hide-narrow" }, found.state),
                    h("td", {}, badge(found.status)), h("td", { class: "num" }, money(found.price))));
                }
                shown += answer.items.length;
                after = answer.next ?? null;
                status.textContent = shown === 0 ? "No item matches." : `${shown} item${shown === 1 ? "" : "s"} shown.`;
                if (after) results.append(more); else more.remove();
              } catch (error) {
                status.className = "message bad";
                status.textContent = error.message;
              }
            }
            more.addEventListener("click", page);
            await page();
          }
        }

        // MARK: - Item

        const actionForms = {
          buy: { title: "Buy it from a client", fields: () => [
            field("clientId", "Client", text({ required: true })), field("price", "Price (cents)", number({ required: true })),
            field("date", "Date", date())], numeric: ["price"] },
          sell: { title: "Sell it to a client", fields: () => [
            field("clientId", "Client", text({ required: true })), field("price", "Price (cents)", number({ required: true })),
            field("date", "Date", date()), field("profit", "Profit (cents)", number(), "optional: price minus cost")], numeric: ["price", "profit"] },
          pawn: { title: "Pawn it (a loan to its owner)", fields: () => [
            field("clientId", "Client", text({ required: true })), field("price", "Loan (cents)", number({ required: true })),
            field("tax", "Interest (%)", number({ value: 10 })), field("limitDays", "Days", number({ value: 30 })),
            field("date", "Date", date())], numeric: ["price", "tax", "limitDays"] },
          redeem: { title: "Redeem it (the loan repaid)", fields: () => [
            field("clientId", "Client", text({ required: true })), field("date", "Date", date())], numeric: [] },
          forfeit: { title: "Forfeit it (the loan not repaid)", fields: () => [field("date", "Date", date())], numeric: [] },
        };
        const allowed = { inStock: ["sell"], withClient: ["buy", "pawn"], pawned: ["redeem", "forfeit"] };

        /** The item's history as one list in event order, with the pending events last. */
        function timeline(history) {
          const entries = [];
          const add = (list, kind, describe) => {
            for (const entry of history[list] ?? []) entries.push({ ...entry, kind, text: describe(entry) });
          };
          add("buys", "buy", (e) => `Bought from ${e.clientId} for ${money(e.price)}`);
          add("sells", "sell", (e) => `Sold to ${e.clientId} for ${money(e.price)}${typeof e.profit === "number" ? `, profit ${money(e.profit)}` : ""}`);
          add("pawns", "pawn", (e) => `Pawned by ${e.clientId}: ${money(e.price)} at ${e.tax} % for ${e.limitDays} days${e.dueDate ? `, due ${e.dueDate}` : ""}`);
          add("redeems", "redeem", (e) => `Redeemed by ${e.clientId}`);
          add("forfeits", "forfeit", () => "Forfeited to the shop");
          add("rejected", "rejected", (e) => `${e.action} refused${e.clientId ? ` (${e.clientId})` : ""}: ${e.reason}`);
          entries.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
          const list = h("ol", { class: "timeline", "aria-label": "History, oldest first" },
            h("li", {}, h("strong", {}, "Added"), " to the books"));
          for (const entry of entries) {
            list.append(h("li", { class: entry.kind === "rejected" ? "rejected" : "" },
              entry.kind === "rejected" ? badge("rejected", "rejected") : null, " ",
              h("strong", {}, entry.text), " ", h("span", { class: "when" }, entry.date ?? ""),
              h("span", { class: "muted" }, ` · event ${entry.eventId}`)));
          }
          for (const entry of pending.get(history.item.id) ?? []) {
            list.append(h("li", { class: "pending" }, badge("pending", "pending"), " ",
              h("strong", {}, entry.action), h("span", { class: "muted" }, ` · event ${entry.eventId}`)));
          }
          return list;
        }

        function itemView(id) {
          const view = h("div", {}, h("h1", {}, `Item ${id}`), h("p", { class: "muted" }, "Loading…"));
          render();
          return view;

          async function render() {
            let history;
            try {
              history = await fetchItem(id);
            } catch (error) {
              view.replaceChildren(h("h1", {}, `Item ${id}`), h("p", { class: "message bad" }, error.message));
              return;
            }
            if (!history) {
              if ((pending.get(id) ?? []).length) {
                view.replaceChildren(h("h1", {}, `Item ${id}`), h("p", { class: "message info" }, "Being added; waiting for a worker…"));
                setTimeout(render, 300);
                return;
              }
              view.replaceChildren(h("h1", {}, `Item ${id}`), h("p", {}, "There is no such item. ", h("a", { href: "#/add" }, "Add one.")));
              return;
            }
            const item = history.item;
            const loan = item.loan;
            const overdue = item.status === "pawned" && loan && loan.dueDate < today();
            const facts = h("dl", { class: "facts" },
              h("dt", {}, "Name"), h("dd", {}, item.name),
              h("dt", {}, "Status"), h("dd", {}, badge(item.status)),
              h("dt", {}, "Category"), h("dd", {}, item.category),
              h("dt", {}, "Condition"), h("dd", {}, item.state),
              h("dt", {}, "Price"), h("dd", {}, money(item.price)),
              h("dt", {}, "Age"), h("dd", {}, `${item.ageInMonths} months`),
              h("dt", {}, "Owner"), h("dd", {}, item.owner ?? "the shop"),
              loan ? [h("dt", {}, "Loan"), h("dd", {},
                `${money(loan.principal)} to ${loan.clientId} at ${loan.interestPercent} %, from ${loan.startDate}, due ${loan.dueDate} `,
                overdue ? badge("overdue", "overdue") : null,
                typeof loan.amountDue === "number" ? ` · ${money(loan.amountDue)} due` : "")] : null,
              h("dt", {}, "Version"), h("dd", {}, String(item.version)));
            const forms = h("div", {});
            for (const action of allowed[item.status] ?? []) forms.append(actionForm(action, item.id));
            const others = Object.keys(actionForms).filter((action) => !(allowed[item.status] ?? []).includes(action));
            const more = h("details", {}, h("summary", {}, "Other actions (the platform will refuse what the item's status does not allow)"));
            for (const action of others) more.append(actionForm(action, item.id));
            forms.append(more);
            view.replaceChildren(
              h("h1", {}, item.name, " ", badge(item.status)),
              h("section", { class: "card", "aria-labelledby": "facts-title" }, h("h2", { id: "facts-title" }, "The item"), facts),
              h("section", { class: "card", "aria-labelledby": "history-title" }, h("h2", { id: "history-title" }, "History"), timeline(history)),
              h("section", { "aria-labelledby": "act-title" }, h("h2", { id: "act-title" }, "Act on it"), forms));
          }

          function actionForm(action, itemId) {
            const spec = actionForms[action];
            const form = h("form", { class: "card", novalidate: true, "aria-label": spec.title, "data-action": action });
            const message = h("p", { class: "message", role: "alert" });
            form.append(h("h3", {}, spec.title), h("div", { class: "inline" }, spec.fields(),
              h("button", { type: "submit" }, action[0].toUpperCase() + action.slice(1))), message);
            form.addEventListener("submit", submitter(form, message, action,
              () => ({ itemId, ...values(form, spec.numeric) }),
              (status) => { if (status !== "accepted") render(); else refreshTimeline(); }));
            return form;
          }

          async function refreshTimeline() {
            const list = view.querySelector("ol.timeline");
            const history = await fetchItem(id).catch(() => null);
            if (list && history) list.replaceWith(timeline(history));
          }
        }

        // MARK: - Add

        function addView() {
          const form = h("form", { class: "card", novalidate: true, "aria-labelledby": "add-title" });
          const message = h("p", { class: "message", role: "alert" });
          form.append(h("div", { class: "inline" },
            field("id", "Item id", text({ required: true, placeholder: "ring-2" }), "letters, digits, . _ : -"),
            field("name", "Name", text({ required: true })),
            field("category", "Category", choice(categories)),
            field("state", "Condition", choice(conditions, {}, "Good")),
            field("price", "Price (cents)", number({ required: true })),
            field("ageInMonths", "Age (months)", number({ value: 0 }))),
            h("button", { type: "submit" }, "Add the item"), message);
          form.addEventListener("submit", submitter(form, message, "add",
            () => values(form, ["price", "ageInMonths"]),
            (status, itemId) => { if (status === "applied") location.hash = `#/item/${encodeURIComponent(itemId)}`; }));
          return h("div", {}, h("h1", { id: "add-title" }, "Add an item"), form);
        }

        // MARK: - Platform

        let platformTimer = null;

        function platformView() {
          const health = h("dl", { class: "facts" });
          const figures = {
            rate: new Series("Requests per second", (v) => v.toFixed(1)),
            p99: new Series("p99 latency (ms)", (v) => v.toFixed(1)),
            lag: new Series("Consumer lag (records)", (v) => v.toFixed(0)),
          };
          const cards = Object.values(figures).map((series) => series.card);
          const view = h("div", {}, h("h1", {}, "Platform"),
            h("section", { class: "card", "aria-labelledby": "health-title" }, h("h2", { id: "health-title" }, "Health"), health),
            h("section", { "aria-labelledby": "live-title" }, h("h2", { id: "live-title" }, "Live figures, every 3 s"),
              h("div", { class: "grid" }, cards)));
          let previous = null;
          async function tick() {
            try {
              const ready = await readiness();
              health.replaceChildren(
                h("dt", {}, "Ready"), h("dd", {}, ready.ready ? badge("applied", "ready") : badge("down", "not ready")),
                h("dt", {}, "Workers joined"), h("dd", {}, String(ready.workers ?? 0)),
                h("dt", {}, "Workers stalled"), h("dd", {}, String(ready.workersStalled ?? 0)),
                h("dt", {}, "Event log"), h("dd", {}, typeof ready.eventLog === "boolean"
                  ? badge(ready.eventLog ? "applied" : "down", ready.eventLog ? "reachable" : "unreachable")
                  : String(ready.eventLog ?? "unknown")),
                h("dt", {}, "Parked events"), h("dd", {}, ready.parked === undefined ? "no parking lot" : String(ready.parked)),
                h("dt", {}, "Fraud list"), h("dd", {}, ready.fraudList ? badge(ready.fraudList === "fresh" ? "fresh" : "stale", ready.fraudList) : "in memory"));
              const sample = await metrics();
              const now = performance.now();
              const sum = (name, filter = () => true) =>
                (sample.get(name) ?? []).filter((s) => filter(s.labels)).reduce((total, s) => total + s.value, 0);
              const buckets = new Map();
              for (const s of sample.get("pawnshop_http_request_duration_seconds_bucket") ?? []) {
                buckets.set(s.labels.le, (buckets.get(s.labels.le) ?? 0) + s.value);
              }
              const current = { at: now, requests: sum("pawnshop_http_requests_total"), buckets };
              if (previous) {
                const seconds = (current.at - previous.at) / 1000;
                figures.rate.push((current.requests - previous.requests) / seconds);
                figures.p99.push(quantile(0.99, current.buckets, previous.buckets) * 1000);
              }
              figures.lag.push(sum("pawnshop_worker_consumer_lag"));
              previous = current;
            } catch (error) {
              health.replaceChildren(h("dt", {}, "Error"), h("dd", {}, error.message));
            }
          }
          tick();
          platformTimer = setInterval(tick, 3000);
          return view;
        }

        /** The `q` quantile of the observations between two cumulative bucket snapshots (le → count). */
        function quantile(q, now, before) {
          const bounds = [...now.keys()].map((le) => ({ le, bound: le === "+Inf" ? Infinity : Number(le) }))
            .sort((a, b) => a.bound - b.bound);
          const count = (le) => (now.get(le) ?? 0) - (before.get(le) ?? 0);
          const total = count("+Inf");
          if (total <= 0) return 0;
          let lower = 0;
          let below = 0;
          for (const { le, bound } of bounds) {
            const within = count(le);
            if (within >= q * total) {
              if (bound === Infinity) return lower;
              return lower + (bound - lower) * ((q * total - below) / Math.max(within - below, 1));
            }
            lower = bound;
            below = within;
          }
          return lower;
        }

        // MARK: - Routing

        function route() {
          clearInterval(platformTimer);
          platformTimer = null;
          const [path, query] = location.hash.replace(/^#/, "").split("?");
          const params = new URLSearchParams(query ?? "");
          let view;
          let nav = "search";
          if (path.startsWith("/item/")) {
            view = itemView(decodeURIComponent(path.slice("/item/".length)));
            nav = null;
          } else if (path === "/add") {
            view = addView();
            nav = "add";
          } else if (path === "/platform") {
            view = platformView();
            nav = "platform";
          } else {
            view = searchView(params);
          }
          for (const link of document.querySelectorAll("[data-nav]")) {
            if (link.dataset.nav === nav) link.setAttribute("aria-current", "page");
            else link.removeAttribute("aria-current");
          }
          const main = document.getElementById("main");
          main.replaceChildren(view);
          document.title = `${view.querySelector("h1")?.textContent ?? "Console"} · PawnShop`;
        }

        addEventListener("hashchange", () => {
          route();
          document.getElementById("main").focus();
        });
        route();
        """#
}
