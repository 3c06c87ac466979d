"""Spreadsheets in and out, one stack for every app: sheets and columns, row errors, header
checks, readers (CSV, XLSX), the import form and command arguments, and the safe writers every
XLSX and CSV export goes through (:mod:`.export`)."""
