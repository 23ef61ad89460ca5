/* Dash's date pickers name months and weekdays with the first of `window.dateFns.locale` that
   matches the browser's languages, else the first it holds. The page's language wins instead:
   once the vendored locales (assets/vendor/date-fns/) have loaded, only the page's is kept. */
(function () {
  "use strict";
  var names = { fr: "fr", en: "enGB" };

  function keepPageLocale() {
    var all = (window.dateFns && window.dateFns.locale) || {};
    var lang = (document.documentElement.getAttribute("lang") || "fr").slice(0, 2);
    var locale = all[names[lang] || "fr"];
    if (!locale) { return; }
    var only = {};
    only[lang] = locale;
    window.dateFns = Object.assign({}, window.dateFns, { locale: only });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", keepPageLocale);
  } else {
    keepPageLocale();
  }
})();
