// Tells the server this browser's time zone, so signed-out visitors read local times (no library,
// no inline code: the CSP allows scripts from 'self' only). The page says which zone it used and
// offers a switcher, so without JavaScript nothing is lost. The cookie name is
// consortium.timezones.TIMEZONE_COOKIE.
(function () {
  var root = document.body; // the script is deferred: the body is there
  if (!root.hasAttribute("data-timezone-guess")) return; // the server already knows the zone
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) return;
  var secure = location.protocol === "https:" ? "; secure" : "";
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax" + secure;
  // Reload once, and only a page that shows times in another zone: the next pages come right.
  if (zone === root.getAttribute("data-timezone") || !document.querySelector("time[datetime]")) return;
  try {
    if (sessionStorage.getItem("tz-reloaded")) return; // cookies refused: do not loop
    sessionStorage.setItem("tz-reloaded", "1");
  } catch (error) {
    return;
  }
  location.reload();
})();
