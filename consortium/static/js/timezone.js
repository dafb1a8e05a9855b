// Tells the server this browser's time zone, so signed-out visitors read local times (no library,
// no inline code: the CSP allows scripts and fetch from 'self' only). The page says which zone it
// used and offers a switcher, so without JavaScript nothing is lost. The cookie name is
// consortium.timezones.TIMEZONE_COOKIE.
(function () {
  var body = document.body; // the script is deferred: the body is there
  if (!body.hasAttribute("data-timezone-guess")) return; // the server already knows the zone
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) return;
  var secure = location.protocol === "https:" ? "; secure" : "";
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax" + secure;
  // The next pages come right. This one is fetched again only if it shows times in another zone, and
  // only its main column and footer are swapped: the styles and this script are not loaded twice.
  if (zone === body.getAttribute("data-timezone") || !document.querySelector("time[datetime]")) return;
  if (!window.fetch || !window.DOMParser) return;
  fetch(location.href, { credentials: "same-origin" })
    .then(function (response) {
      return response.ok ? response.text() : null;
    })
    .then(function (html) {
      if (!html) return;
      var fresh = new DOMParser().parseFromString(html, "text/html");
      if (fresh.body.getAttribute("data-timezone") !== zone) return; // cookies refused: keep the page
      ["main", ".site-footer"].forEach(function (selector) {
        var now = document.querySelector(selector);
        var next = fresh.querySelector(selector);
        if (now && next) now.replaceWith(document.importNode(next, true));
      });
      body.setAttribute("data-timezone", zone);
      body.removeAttribute("data-timezone-guess");
    })
    .catch(function () {}); // offline or interrupted: the page keeps the zone it names
})();
