/*
 * Calendar button for ita_tracker.forms.BEDateInput.
 *
 * The visible field holds d/m/yyyy in the Buddhist era (3/5/2564). The browser's own date
 * picker only knows CE, so it lives in a hidden <input type="date">: the button opens it on
 * the day already typed, and the picked day is written back to the text field in BE.
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

  function openPicker(field) {
    var iso = beTextToIso(field.text.value);
    if (iso) {
      field.native.value = iso;
    }
    if (typeof field.native.showPicker === "function") {
      try {
        field.native.showPicker();
        return;
      } catch (error) {
        // Refused (e.g. inside a cross-origin frame): fall through to the older way.
      }
    }
    field.native.focus();
    field.native.click();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-be-date-button]");
    if (!button || button.disabled) {
      return;
    }
    var field = parts(button);
    if (field && !field.text.disabled && !field.text.readOnly) {
      openPicker(field);
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
