// The console's charts.js: sparklines drawn as SVG. Edit it here; it is served as written.
extension Console {
    static let chartsJS = #"""
        // A small figure with a sparkline of its last values, drawn as SVG (no library).

        const svgNS = "http://www.w3.org/2000/svg";

        /** Points of `values` scaled into a `width` × `height` box. */
        export function sparkline(values, width = 200, height = 60) {
          const svg = document.createElementNS(svgNS, "svg");
          svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
          svg.setAttribute("preserveAspectRatio", "none");
          svg.setAttribute("aria-hidden", "true");
          if (values.length > 1) {
            const most = Math.max(...values, 1e-9);
            const step = width / (values.length - 1);
            const line = document.createElementNS(svgNS, "polyline");
            line.setAttribute("points", values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / most) * (height - 4)).toFixed(1)}`).join(" "));
            svg.append(line);
          }
          return svg;
        }

        /** A named figure: its latest value in large type and the last 40 as a sparkline. */
        export class Series {
          constructor(title, format) {
            this.values = [];
            this.format = format;
            this.figure = document.createElement("p");
            this.figure.className = "figure";
            this.figure.textContent = "…";
            this.chart = document.createElement("div");
            this.chart.className = "chart";
            const heading = document.createElement("h3");
            heading.textContent = title;
            this.card = document.createElement("section");
            this.card.className = "card";
            this.card.setAttribute("aria-label", title);
            this.card.append(heading, this.figure, this.chart);
          }

          push(value) {
            const finite = Number.isFinite(value) ? Math.max(0, value) : 0;
            this.values.push(finite);
            if (this.values.length > 40) this.values.shift();
            this.figure.textContent = this.format(finite);
            this.chart.replaceChildren(sparkline(this.values));
          }
        }
        """#
}
