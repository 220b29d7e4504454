// The console's style.css: the console's one stylesheet. Edit it here; it is served as written.
extension Console {
    static let styleCSS = #"""
        :root {
          --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --paper: #ffffff; --wash: #f6f8fa;
          --accent: #0b57d0; --good: #116329; --good-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff8c5;
          --bad: #a40e26; --bad-bg: #ffebe9; --info-bg: #ddf4ff; --info: #0a3069;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--wash);
          line-height: 1.45;
        }
        * { box-sizing: border-box; }
        body { margin: 0; }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
          outline: 3px solid var(--accent); outline-offset: 2px;
        }
        main:focus { outline: none; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: .5rem 1rem; }
        .skip:focus { left: .5rem; z-index: 2; }
        .top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .75rem 1rem;
          background: var(--ink); color: #fff; }
        .top a { color: #fff; }
        .brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; }
        .top ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
        .top nav a { text-decoration: none; padding: .25rem .1rem; border-bottom: 2px solid transparent; }
        .top nav a[aria-current="page"] { border-bottom-color: #fff; font-weight: 600; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
        .card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin-bottom: 1rem; }
        .card > h2:first-child, .card > h3:first-child { margin-top: 0; }
        h3 { font-size: 1rem; margin: .25rem 0 .75rem; }
        .inline { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-start; }
        .inline > button { margin-top: 1.6rem; }
        .field { display: flex; flex-direction: column; gap: .25rem; min-width: 10rem; flex: 1 1 10rem; }
        .field label { font-weight: 600; font-size: .9rem; }
        .field .hint { color: var(--muted); font-size: .8rem; }
        input, select { font: inherit; padding: .45rem .5rem; border: 1px solid #8c959f; border-radius: 6px; background: var(--paper); color: var(--ink); }
        input[aria-invalid="true"] { border-color: var(--bad); }
        .error { color: var(--bad); font-size: .85rem; font-weight: 600; }
        .error:empty { display: none; }
        button { font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 1px solid var(--accent);
          background: var(--accent); color: #fff; cursor: pointer; }
        button.secondary { background: var(--paper); color: var(--accent); }
        button:disabled { opacity: .6; cursor: progress; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; background: var(--paper); }
        caption { text-align: left; color: var(--muted); padding: .25rem 0; }
        th, td { text-align: left; padding: .5rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th { font-size: .85rem; color: var(--muted); }
        td.num, th.num { text-align: right; }
        .badge { display: inline-block; padding: .1rem .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; }
        .badge.inStock, .badge.applied, .badge.fresh { background: var(--good-bg); color: var(--good); }
        .badge.withClient { background: var(--info-bg); color: var(--info); }
        .badge.pawned, .badge.pending, .badge.stale { background: var(--warn-bg); color: var(--warn); }
        .badge.rejected, .badge.overdue, .badge.down { background: var(--bad-bg); color: var(--bad); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; }
        ol.timeline { list-style: none; margin: 0; padding: 0 0 0 1rem; border-left: 3px solid var(--line); }
        ol.timeline li { position: relative; padding: .25rem 0 .9rem .75rem; }
        ol.timeline li::before { content: ""; position: absolute; left: -1.55rem; top: .55rem; width: .8rem; height: .8rem;
          border-radius: 50%; background: var(--accent); border: 2px solid var(--paper); }
        ol.timeline li.rejected::before { background: var(--bad); }
        ol.timeline li.pending::before { background: #bf8700; }
        .when { color: var(--muted); font-size: .85rem; }
        .message { padding: .75rem 1rem; border-radius: 6px; margin: .5rem 0; }
        .message.bad { background: var(--bad-bg); color: var(--bad); }
        .message.good { background: var(--good-bg); color: var(--good); }
        .message.info { background: var(--info-bg); color: var(--info); }
        .message:empty { display: none; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
        .figure { font-size: 1.6rem; font-weight: 700; }
        .chart svg { width: 100%; height: 60px; display: block; }
        .chart polyline { fill: none; stroke: var(--accent); stroke-width: 2; }
        .notice { position: fixed; bottom: 1rem; right: 1rem; max-width: 24rem; pointer-events: none; }
        .notice:empty { display: none; }
        .notice p { background: var(--ink); color: #fff; padding: .75rem 1rem; border-radius: 6px; margin: .25rem 0; }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
        .muted { color: var(--muted); }
        .contents { display: contents; }
        @media (max-width: 40rem) {
          main { padding: .5rem; }
          th, td { padding: .4rem .3rem; }
          .hide-narrow { display: none; }
        }
        """#
}
