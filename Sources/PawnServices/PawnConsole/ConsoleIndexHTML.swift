// The console's index.html: the page every view is drawn into. Edit it here; it is served as written.
extension Console {
    static let indexHTML = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>PawnShop console</title>
        <link rel="stylesheet" href="/console/style.css">
        <link rel="icon" href="data:,">
        <script type="module" src="/console/app.js"></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="#/">PawnShop</a>
          <nav aria-label="Console">
            <ul>
              <li><a href="#/" data-nav="search">Search</a></li>
              <li><a href="#/add" data-nav="add">Add an item</a></li>
              <li><a href="#/platform" data-nav="platform">Platform</a></li>
            </ul>
          </nav>
        </header>
        <main id="main" tabindex="-1">
          <p class="loading">Loading the console…</p>
          <noscript><p>The console needs JavaScript; the JSON API works without it (see Docs/openapi.yaml).</p></noscript>
        </main>
        <div id="notice" class="notice" role="status" aria-live="polite"></div>
        </body>
        </html>
        """#
}
