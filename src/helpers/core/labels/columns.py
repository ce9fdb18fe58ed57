"""Labels of the readers' workbook (``NN-name.xlsx``, :mod:`helpers.reports.workbook`) and of the table notes that link
it (data only; read through :func:`helpers.core.text.label`).

The column headers of the workbook's sheets are the report's own column labels (the other parts); these are the
words around them: the first sheet, the table notes, the sheet names that are not a heading.
"""

#: ``key: (Bahasa Indonesia, English)``; every key starts with ``xl_``.
COLUMNS: dict[str, tuple[str, str]] = {
    # the first sheet
    "xl_about": ("Tentang", "About"),
    "xl_title": ("Judul", "Title"),
    "xl_sheets": ("Lembar dalam buku kerja ini", "Sheets of this workbook"),
    "xl_sheet": ("Lembar", "Sheet"), "xl_holds": ("Isi", "What it holds"), "xl_rows": ("Baris", "Rows"),
    "xl_numbers": ("Angka disimpan sebagai angka: Excel atau LibreOffice menampilkannya dengan pemisah ribuan dan "
                   "desimal komputer Anda, dan angka itu bisa dijumlahkan, diurutkan dan disaring. Persentase "
                   "disimpan sebagai bagian (0,988 tampil sebagai 98,8 %).",
                   "Numbers are stored as numbers: Excel or LibreOffice shows them with your computer's thousands "
                   "and decimal separators, and they can be summed, sorted and filtered. Percentages are stored as "
                   "shares (0.988 shows as 98.8 %)."),
    "xl_machines": ("Tabel yang sama dengan semua kolom, untuk mesin dan skrip (nama kolom kode, titik desimal): "
                    "file CSV di folder yang sama ({files}).",
                    "The same tables with every column, for machines and scripts (code column names, decimal "
                    "point): the CSV files in the same folder ({files})."),
    "xl_table": ("Tabel {n}", "Table {n}"),
    # the table notes of a report
    "xl_full_table": ("Tabel lengkap untuk Excel:", "Full table for Excel:"),
    "xl_sheet_named": ("lembar \u201c{sheet}\u201d", "sheet \u201c{sheet}\u201d"),
    "xl_for_machines": ("untuk mesin dan skrip (CSV):", "for machines and scripts (CSV):"),
}
