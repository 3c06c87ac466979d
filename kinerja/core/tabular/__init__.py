"""Spreadsheets in and out, one stack for every app (organisation files, indicator workbooks,
event files):

- :mod:`.columns`: sheets and their columns, header names, column letters;
- :mod:`.errors`: row errors (sheet, row, column, message), file errors, the outcome counts;
- :mod:`.read`: what kind of file it is, CSV and XLSX records, tables and the header check;
- :mod:`.export`: the safe writers every XLSX and CSV export goes through (user text that
  begins like a formula stays text);
- :mod:`.write`: data sheets, the help sheet "Petunjuk" and CSV files, on the safe writers;
- :mod:`.forms` and :mod:`.views`: the upload (form, size limit, CSRF after the limit), the
  audit door of an import, downloads; the templates are ``core/tabular/_*.html``;
- :mod:`.commands`: ``kinerja <data> import|export FILE`` (arguments, reading and writing the
  file, errors and counts on the console).

Each app keeps only its own columns and rules.
"""
