// The console works without this file; it only adds the live duty queue and the print button.
(function () {
  'use strict';

  // Live regions: <div data-poll="/url" data-every="5000"> is refreshed in place while the page is visible.
  document.querySelectorAll('[data-poll]').forEach(function (region) {
    var every = Number(region.getAttribute('data-every')) || 5000;
    var url = region.getAttribute('data-poll');
    var busy = false;
    function refresh() {
      if (busy || document.hidden) return;
      busy = true;
      fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (res) {
          if (res.status === 401) { window.location.reload(); return null; }
          return res.ok ? res.text() : null;
        })
        .then(function (html) {
          // Keep keyboard focus where it was when the focused control is re-rendered.
          var focused = document.activeElement && document.activeElement.id;
          if (html !== null) region.innerHTML = html;
          if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
        })
        .catch(function () { /* offline for a moment: the next poll tries again */ })
        .then(function () { busy = false; });
    }
    setInterval(refresh, every);
    document.addEventListener('visibilitychange', refresh);
  });

  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });

  // Buttons that end or hand something over ask once, so a slip of the finger does not close a resident's conversation.
  // Listened for on the document, so forms in a refreshed region (the duty queue) ask too.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form || !form.getAttribute || !form.hasAttribute('data-confirm')) return;
    if (!window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
  });
})();
