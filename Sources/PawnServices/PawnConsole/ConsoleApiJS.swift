// The console's api.js: the public JSON API, the event follower, the metrics parser. Edit it here; it is served as written.
extension Console {
    static let apiJS = #"""
        // The console's only way to the platform: the public JSON API (Docs/openapi.yaml).

        /** An answer that was not 2xx, with the API's error code, message and field when it sent them. */
        export class ApiError extends Error {
          constructor(status, body) {
            super(body?.error?.message ?? `the server answered HTTP ${status}`);
            this.status = status;
            this.code = body?.error?.code ?? null;
            this.field = body?.error?.field ?? null;
          }
        }

        async function answer(response) {
          const text = await response.text();
          let body = null;
          try { body = text ? JSON.parse(text) : null; } catch { body = null; }
          if (!response.ok) throw new ApiError(response.status, body);
          return body;
        }

        /** GET `path` as JSON; throws ApiError on a 4xx or 5xx. */
        export async function getJSON(path) {
          return answer(await fetch(path, { headers: { Accept: "application/json" } }));
        }

        /** POST `value` as JSON to `path`; throws ApiError on a 4xx or 5xx. */
        export async function postJSON(path, value) {
          return answer(await fetch(path, {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify(value),
          }));
        }

        /** One page of items matching one criterion (`name`, `category`, `state` or `status`). */
        export function search(by, value, after, limit = 20) {
          const query = new URLSearchParams({ [by]: value, limit: String(limit) });
          if (after) query.set("after", after);
          return getJSON(`/item/fetch?${query}`);
        }

        /** An item with its history, or null when there is none. */
        export async function item(id) {
          try {
            return await getJSON(`/item/fetch/${encodeURIComponent(id)}`);
          } catch (error) {
            if (error instanceof ApiError && error.status === 404) return null;
            throw error;
          }
        }

        /** An action: `add` or one of buy, sell, pawn, redeem, forfeit. Answers `{eventId, itemId?}`. */
        export function act(action, body) {
          return postJSON(action === "add" ? "/item/add" : `/item/action/${action}`, body);
        }

        /**
         * Follows an accepted event until a worker applied or rejected it: calls `update` with each
         * new status, resolves with the last one. A 404 right after the 202 counts as pending.
         */
        export async function follow(eventId, update, { every = 200, timeout = 60000 } = {}) {
          const end = Date.now() + timeout;
          let last = null;
          while (Date.now() < end) {
            let status;
            try {
              status = await getJSON(`/event/${encodeURIComponent(eventId)}`);
            } catch (error) {
              if (!(error instanceof ApiError && (error.status === 404 || error.status === 503))) throw error;
              status = { eventId, status: "pending" };
            }
            if (status.status !== last) {
              last = status.status;
              update(status);
            }
            if (status.status !== "pending") return status;
            await new Promise((resolve) => setTimeout(resolve, every));
          }
          return { eventId, status: "pending" };
        }

        /** Readiness: its JSON whether the platform is ready (200) or not (503). */
        export async function readiness() {
          const response = await fetch("/health/ready", { headers: { Accept: "application/json" } });
          const body = await response.json().catch(() => ({}));
          return { ready: response.ok, ...body };
        }

        /** The Prometheus exposition, parsed: name → [{labels, value}]. */
        export async function metrics() {
          const response = await fetch("/metrics");
          if (!response.ok) throw new ApiError(response.status, null);
          return parseMetrics(await response.text());
        }

        /** Parses the Prometheus text format's samples (comments skipped). */
        export function parseMetrics(text) {
          const samples = new Map();
          const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
          const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
          for (const row of text.split("\n")) {
            if (!row || row.startsWith("#")) continue;
            const match = line.exec(row);
            if (!match) continue;
            const labels = {};
            for (const [, key, value] of (match[3] ?? "").matchAll(label)) labels[key] = value.replace(/\\(.)/g, "$1");
            const value = Number(match[4]);
            if (!samples.has(match[1])) samples.set(match[1], []);
            samples.get(match[1]).push({ labels, value });
          }
          return samples;
        }
        """#
}
