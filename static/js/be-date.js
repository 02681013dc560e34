/*
 * Calendar button for ita_tracker.forms.BEDateInput.
 *
 * The visible field holds d/m/yyyy in the Buddhist era (3/5/2564). The browser's own date
 * picker only knows CE, so the button opens this script's own calendar instead: Thai month
 * names, BE years and the page's digits (Arabic ones on English pages), on the day already
 * typed; the picked day is written back to the text field in BE. (A browser date picked in the
 * hidden <input type="date"> is still written back, for scripts that use it.)
 *
 * Events are delegated from the document, so fields added after load (formsets, fragments)
 * need no set-up and the script can be included anywhere on the page.
 */
(function () {
  "use strict";

  var BE_OFFSET = 543;
  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  function arabicDigits(text) {
    return text.replace(/[๐-๙]/g, function (digit) {
      return String(THAI_DIGITS.indexOf(digit));
    });
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // "3/5/2564", "3-5-2564", "3.5.2564", Thai digits or "2564-05-03" -> "2021-05-03"; "" when
  // the text is not a real BE date (the server gives the detailed message, not this script).
  function beTextToIso(text) {
    var value = arabicDigits(String(text || "")).trim();
    var day, month, year, match;
    if ((match = /^(\d{1,2})([\/.\-])(\d{1,2})\2(\d{4})$/.exec(value))) {
      day = +match[1];
      month = +match[3];
      year = +match[4];
    } else if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value))) {
      year = +match[1];
      month = +match[2];
      day = +match[3];
    } else {
      return "";
    }
    if (year < 2400 || year > 2700) {
      return "";
    }
    year -= BE_OFFSET;
    var probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
      return "";
    }
    return year + "-" + pad(month) + "-" + pad(day);
  }

  // "2021-05-03" -> "3/5/2564", the form BEDateInput itself renders.
  function isoToBeText(iso) {
    var match = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!match) {
      return "";
    }
    return +match[3] + "/" + +match[2] + "/" + (+match[1] + BE_OFFSET);
  }

  function parts(element) {
    var group = element.closest("[data-be-date-group]");
    if (!group) {
      return null;
    }
    var text = group.querySelector("[data-be-date]");
    var native = group.querySelector("[data-be-date-native]");
    return text && native ? { text: text, native: native } : null;
  }

  // The calendar: Thai months and Buddhist-era years (English names on English pages), the page's digits.
  var MONTHS_TH = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
    "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var DAYS_TH = ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"];
  var DAYS_EN = ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"];
  var popup = null;

  function isThai() {
    return (document.documentElement.lang || "th").indexOf("th") === 0;
  }

  // The page's digits follow the agency's choice (<html data-digits>), Arabic ones on English pages.
  function thaiDigits() {
    var style = document.documentElement.dataset.digits;
    return style ? style === "thai" : isThai();
  }

  function shown(number) {
    var text = String(number);
    return thaiDigits() ? text.replace(/[0-9]/g, function (d) { return THAI_DIGITS.charAt(+d); }) : text;
  }

  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  function closeCalendar(focusField) {
    if (!popup) {
      return;
    }
    var field = popup.field;
    popup.remove();
    popup = null;
    if (focusField) {
      field.text.focus();
    }
  }

  function pick(field, year, month, day) {
    field.text.value = day + "/" + (month + 1) + "/" + (year + BE_OFFSET);
    // Let other scripts (validation, "unsaved changes" warnings) see the edit as if typed.
    field.text.dispatchEvent(new Event("input", { bubbles: true }));
    field.text.dispatchEvent(new Event("change", { bubbles: true }));
    closeCalendar(true);
  }

  function selectOf(label, values, chosen, text) {
    var select = make("select", "form-select form-select-sm");
    select.setAttribute("aria-label", label);
    values.forEach(function (value) {
      var option = make("option", "", text(value));
      option.value = value;
      option.selected = value === chosen;
      select.appendChild(option);
    });
    return select;
  }

  function range(from, to) {
    var list = [];
    for (var i = from; i <= to; i++) {
      list.push(i);
    }
    return list;
  }

  function drawCalendar(field, year, month, selected) {
    var thai = isThai();
    var box = popup;
    box.textContent = "";
    var head = make("div", "be-calendar-head");
    var back = make("button", "btn btn-sm btn-outline-secondary", "‹");
    back.type = "button";
    back.setAttribute("aria-label", thai ? "เดือนก่อน" : "Previous month");
    var next = make("button", "btn btn-sm btn-outline-secondary", "›");
    next.type = "button";
    next.setAttribute("aria-label", thai ? "เดือนถัดไป" : "Next month");
    var months = selectOf(thai ? "เดือน" : "Month", range(0, 11), month, function (m) {
      return (thai ? MONTHS_TH : MONTHS_EN)[m];
    });
    var years = selectOf(thai ? "ปี พ.ศ." : "Year (B.E.)", range(year - 10, year + 10), year, function (y) {
      return shown(y + BE_OFFSET);
    });
    head.append(back, months, years, next);
    box.appendChild(head);
    back.addEventListener("click", function () {
      drawCalendar(field, month === 0 ? year - 1 : year, (month + 11) % 12, selected);
    });
    next.addEventListener("click", function () {
      drawCalendar(field, month === 11 ? year + 1 : year, (month + 1) % 12, selected);
    });
    months.addEventListener("change", function () { drawCalendar(field, year, +months.value, selected); });
    years.addEventListener("change", function () { drawCalendar(field, +years.value, month, selected); });

    var grid = make("table", "be-calendar-grid");
    var row = make("tr");
    (thai ? DAYS_TH : DAYS_EN).forEach(function (name) { row.appendChild(make("th", "", name)); });
    grid.appendChild(make("thead")).appendChild(row);
    var body = grid.appendChild(make("tbody"));
    var first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    var count = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    row = null;
    for (var cell = 0; cell < first + count; cell++) {
      if (cell % 7 === 0) {
        row = body.appendChild(make("tr"));
      }
      var td = row.appendChild(make("td"));
      if (cell < first) {
        continue;
      }
      var day = cell - first + 1;
      var button = make("button", "btn btn-sm be-calendar-day", shown(day));
      button.type = "button";
      button.value = day;
      button.setAttribute("aria-label", shown(day) + " " + (thai ? MONTHS_TH : MONTHS_EN)[month] + " " + shown(year + BE_OFFSET));
      if (selected && selected.year === year && selected.month === month && selected.day === day) {
        button.classList.add("btn-primary");
        button.setAttribute("aria-pressed", "true");
      }
      button.addEventListener("click", function (event) { pick(field, year, month, +event.currentTarget.value); });
      td.appendChild(button);
    }
    box.appendChild(grid);
  }

  function openPicker(field) {
    closeCalendar(false);
    var iso = beTextToIso(field.text.value);
    var selected = null;
    var start = new Date();
    var year = start.getFullYear();
    var month = start.getMonth();
    if (iso) {
      var bits = iso.split("-");
      selected = { year: +bits[0], month: +bits[1] - 1, day: +bits[2] };
      year = selected.year;
      month = selected.month;
    }
    popup = make("div", "be-calendar shadow");
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", isThai() ? "ปฏิทิน" : "Calendar");
    popup.field = field;
    field.text.closest("[data-be-date-group]").appendChild(popup);
    drawCalendar(field, year, month, selected);
    popup.querySelector("select").focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-be-date-button]");
    if (popup && !event.target.closest(".be-calendar") && button === null) {
      closeCalendar(false);
    }
    if (!button || button.disabled) {
      return;
    }
    var field = parts(button);
    if (field && !field.text.disabled && !field.text.readOnly) {
      if (popup && popup.field.text === field.text) {
        closeCalendar(true);
      } else {
        openPicker(field);
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && popup) {
      closeCalendar(true);
    }
  });

  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-be-date-native]")) {
      return;
    }
    var field = parts(event.target);
    var text = isoToBeText(event.target.value);
    if (!field || !text) {
      return;
    }
    field.text.value = text;
    // Let other scripts (validation, "unsaved changes" warnings) see the edit as if typed.
    field.text.dispatchEvent(new Event("input", { bubbles: true }));
    field.text.dispatchEvent(new Event("change", { bubbles: true }));
    field.text.focus();
  });
})();
