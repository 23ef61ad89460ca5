/* The as-of date field (dashboard/layout.py, `.asof-field`): a whole date typed and confirmed
   with Enter becomes the view's date at once. Dash's picker, on Enter, first opens its
   calendar and reads the text one frame later, which delays the map by a frame and a calendar
   render, and leaves the calendar open over the map. Here Enter sets the picker's `date`
   directly when the text is a date the field accepts (within its bounds), and closes the
   calendar if a click had opened it; any other text, and the other keys (the arrows open the
   calendar), are the picker's as before. */
(function () {
  "use strict";

  function iso(year, month, day) {
    var when = new Date(Date.UTC(year, month - 1, day));
    if (when.getUTCFullYear() !== year || when.getUTCMonth() !== month - 1
        || when.getUTCDate() !== day) { return null; }
    return when.toISOString().slice(0, 10);
  }

  function bare(word) {
    return word.toLowerCase().replace(/\./g, "").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // The month named by `word` in the page's locale (the picker's own names: assets/vendor/
  // date-fns), in its short or long form, accents and full stops ignored; 0 if none.
  function monthNamed(word) {
    var locales = (window.dateFns && window.dateFns.locale) || {};
    var lang = (document.documentElement.getAttribute("lang") || "fr").slice(0, 2);
    var locale = locales[lang] || locales[Object.keys(locales)[0]];
    if (!locale || !locale.localize) { return 0; }
    var wanted = bare(word);
    for (var month = 0; month < 12; month += 1) {
      var names = ["abbreviated", "wide"].map(function (width) {
        return bare(locale.localize.month(month, { width: width }));
      });
      if (names.indexOf(wanted) >= 0) { return month + 1; }
    }
    return 0;
  }

  // `2024-06-30`, `30/06/2024` (or with - or .), `30 Jun 2024`, `30 juin 2024`: the ISO day.
  function typedDay(text) {
    var value = text.trim(), parts;
    if ((parts = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value))) {
      return iso(+parts[1], +parts[2], +parts[3]);
    }
    if ((parts = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(value))) {
      return iso(+parts[3], +parts[2], +parts[1]);
    }
    if ((parts = /^(\d{1,2})(?:er)?\s+([^\s\d]+)\s+(\d{4})$/i.exec(value))) {
      var month = monthNamed(parts[2]);
      return month ? iso(+parts[3], month, +parts[1]) : null;
    }
    return null;
  }

  function commitOnEnter(event) {
    if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey
        || event.shiftKey || event.isComposing) { return; }
    var input = event.target;
    var field = input && input.closest && input.closest(".asof-field");
    if (!field || input.tagName !== "INPUT" || !input.id) { return; }
    var day = typedDay(input.value || "");
    if (!day || day < field.dataset.min || day > field.dataset.max) { return; }
    var clientside = window.dash_clientside;
    if (!clientside || !clientside.set_props) { return; }
    event.preventDefault();
    event.stopPropagation();
    clientside.set_props(input.id, { date: day });
    if (field.querySelector(".dash-datepicker-content")) {
      // The calendar was open (a click in the field opens it): Escape closes it, as a user
      // would; an open calendar takes Escape before the panel and the drawer do.
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true,
                                                         cancelable: true }));
    }
  }

  // In the capture phase on the document, so that it runs before React's own listeners.
  document.addEventListener("keydown", commitOnEnter, true);
})();
