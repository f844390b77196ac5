/* The export menus of the charts (dashboards/_chart.py): one open at a time; Escape, a click
   elsewhere or choosing a format closes it. The menus work without this script (<details>). */
(function () {
  "use strict";
  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll("details.nt-export[open]"));
  }
  function closeAll(except) {
    openMenus().forEach(function (menu) { if (menu !== except) { menu.removeAttribute("open"); } });
  }
  document.addEventListener("click", function (event) {
    var menu = event.target.closest ? event.target.closest("details.nt-export") : null;
    if (menu && event.target.closest(".nt-export__link")) {
      setTimeout(function () { menu.removeAttribute("open"); }, 0);
      return;
    }
    closeAll(menu);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    openMenus().forEach(function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.removeAttribute("open");
      if (hadFocus) { menu.querySelector("summary").focus(); }
    });
  });
})();
