// `make css`: Bootstrap cut to the selectors Solibook's pages can use (issue #24: ~28 of its
// 30 KiB compressed went unused and all of it blocked the first paint). Its input is the full
// file `make vendor` copies; its output, bootstrap{,.rtl}.purged.min.css, is what base.html links.
//
// Content is every file that can put a class on a page: templates, our scripts (classes set
// from JS) and the Python that renders HTML (form widgets, template tags). Bootstrap's own
// script is not scanned (every word of every component would stay): the classes and
// attributes it sets at run time for the components the pages use are listed below.
// core/tests/test_page_weight.py fails when a template names a Bootstrap class the cut lost.
module.exports = {
  content: [
    "solibook/**/templates/**/*.html",
    "solibook/**/*.py",
    "solibook/static/js/**/*.js",
    "solibook/static/sw.js",
  ],
  skippedContentGlobs: ["**/migrations/**", "**/tests/**", "**/locale/**"],
  safelist: {
    // Classes glued together at render time, which no file spells whole: the templates'
    // `text-bg-{% if … %}success{% else %}…`, `alert-{{ message.tags }}` and
    // `col-md-{% if … %}`, calendar.js's 'alert alert-' + kind.
    standard: [
      /^(text-bg|alert)-(primary|secondary|success|danger|warning|info|light|dark)$/,
      /^col-md-\d+$/,
      // Set by bootstrap.bundle.js: collapse, dropdown, modal, offcanvas, tab/pill/list,
      // toggle button and dismissible alert, the components the templates use.
      "show", "showing", "hiding", "collapse", "collapsing", "collapsed", "fade", "active",
      "disabled", "modal-open", "modal-static", "modal-backdrop", "offcanvas-backdrop",
    ],
    // Popper's placement: `.dropdown-menu[data-bs-popper]` and its variants.
    greedy: [/data-bs-popper/],
  },
};
