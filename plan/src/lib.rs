//! Cutover's domain: planning rules, migration records, CSV and iCalendar. No web dependencies.
