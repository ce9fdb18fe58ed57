"""The words of the Excel templates (:mod:`helpers.io.excel_template`), Bahasa Indonesia and English (data only).

The instructions sheet (``Petunjuk``) and the messages of the data validations.  ``{placeholders}``
are filled by :mod:`helpers.io.excel_template` (the sheet, the province, its counts and bounds).
"""

#: Facility types offered in the ``Jenis`` drop-down (each maps to a type of :data:`schema.FACILITY_TYPES`).
TYPE_WORDS = ("Gudang logistik", "Sekretariat KPU", "Sekretariat Bawaslu", "Sekretariat PPK", "Sekretariat PPS",
              "Kantor camat", "Kantor lurah", "Tempat rekapitulasi", "Pos keamanan", "Lainnya")

TEXTS = {
    "id": {
        "title": "Petunjuk pengisian: {what}",
        "what": {"sites": "lokasi rekapitulasi PPK (satu baris per kecamatan)",
                 "facilities": "fasilitas (gudang logistik, sekretariat KPU/Bawaslu, kantor PPK/PPS, ...)",
                 "tps": "jumlah TPS per kelurahan (satu baris per kelurahan)"},
        "intro": ["Isi daftar pada lembar '{sheet}' mulai baris 2, satu baris per {unit}. Baris 1 (judul "
                  "kolom) jangan diubah; kolom yang tidak diketahui boleh dibiarkan kosong.",
                  "Baris boleh ditambah sebanyak perlu; baris jumlah/total tidak diperlukan. Menu pilihan "
                  "tersedia untuk kota, kecamatan, kelurahan{extra}.",
                  "Koordinat dalam derajat desimal dengan titik desimal: Lintang negatif (selatan "
                  "khatulistiwa), mis. Lintang -6.170687, Bujur 106.819062. Atau satu kolom 'Koordinat' berisi "
                  "\"lintang, bujur\", mis. \"-6.170687, 106.819062\".",
                  "Cara memakai: simpan berkas ini lalu jalankan  pemilu-recap -p {param} {file}"],
        "unit": {"sites": "lokasi (kecamatan)", "facilities": "fasilitas", "tps": "kelurahan"},
        "extra": {"sites": ", Internet dan Posisi Perkiraan (Ya/Tidak)",
                  "facilities": ", Jenis fasilitas dan Posisi Perkiraan (Ya/Tidak)", "tps": ""},
        "columns": ("Kolom", "Wajib/Opsional", "Arti", "Nilai yang diterima", "Contoh"),
        "required": "Wajib", "required_or": "Wajib (atau {other})", "optional": "Opsional",
        "accepted": {"kota": "Salah satu dari {n} nama di menu pilihan (ejaan lain seperti 'Kab. {first}' juga "
                             "diterima)", "kecamatan": "Salah satu dari {n} nama di menu pilihan",
                     "kelurahan": "Salah satu dari {n} nama di menu pilihan", "yes_no": "Ya atau Tidak",
                     "lat": "Angka desimal antara {lo} dan {hi} (batas {area}); Excel {refuse} nilai lain",
                     "lon": "Angka desimal antara {lo} dan {hi} (batas {area}); Excel {refuse} nilai lain",
                     "coordinates": "\"lintang, bujur\"", "count": "Bilangan bulat ≥ 0",
                     "code": "Kode Kemendagri (teks)", "facility_type": ", ".join(TYPE_WORDS),
                     "text": "Teks bebas"},
        "error_title": "Nilai tidak dikenal", "error": "Pilih salah satu nilai dari menu pilihan.",
        "error_unit": "Nama ini tidak ada di daftar. Ejaan lain tetap boleh bila yakin benar.",
        "refuse": {"stop": "menolak", "warning": "memperingatkan tentang"},
        "coord_title": "Koordinat di luar {area}",
        "coord_error": "{what} harus angka desimal antara {lo} dan {hi} ({area}), dengan tanda minus di selatan "
                       "khatulistiwa.", "lat": "Lintang", "lon": "Bujur",
        "coord_check": "Kolom Lintang dan Bujur hanya menerima angka desimal dalam batas {area} (Lintang {lat_lo} "
                       "sampai {lat_hi}, Bujur {lon_lo} sampai {lon_hi}); Excel {refuse} nilai lain.",
    },
    "en": {
        "title": "How to fill in: {what}",
        "what": {"sites": "PPK recapitulation sites (one row per kecamatan)",
                 "facilities": "facilities (warehouses, KPU/Bawaslu secretariats, PPK/PPS offices, ...)",
                 "tps": "number of TPS per kelurahan (one row per kelurahan)"},
        "intro": ["Fill in the sheet '{sheet}' from row 2, one row per {unit}. Do not change row 1 (the "
                  "headers); columns you do not know may stay empty.",
                  "Add as many rows as needed; no totals row is needed. Drop-down lists are offered for "
                  "kota, kecamatan, kelurahan{extra}.",
                  "Coordinates in decimal degrees with a decimal point, latitude negative (south of the "
                  "equator), e.g. Lintang -6.170687, Bujur 106.819062; or one column 'Koordinat' holding "
                  "\"lat, lon\", e.g. \"-6.170687, 106.819062\".",
                  "To use it: save the file and run  pemilu-recap -p {param} {file}"],
        "unit": {"sites": "site (kecamatan)", "facilities": "facility", "tps": "kelurahan"},
        "extra": {"sites": ", Internet and Posisi Perkiraan (Ya/Tidak)",
                  "facilities": ", the facility type (Jenis) and Posisi Perkiraan (Ya/Tidak)", "tps": ""},
        "columns": ("Column", "Required/optional", "Meaning", "Accepted values", "Example"),
        "required": "Required", "required_or": "Required (or {other})", "optional": "Optional",
        "accepted": {"kota": "One of the {n} names in the drop-down (other spellings such as 'Kab. {first}' are "
                             "accepted)", "kecamatan": "One of the {n} names in the drop-down",
                     "kelurahan": "One of the {n} names in the drop-down", "yes_no": "Ya (yes) or Tidak (no)",
                     "lat": "Decimal number between {lo} and {hi} (the bounds of {area}); Excel {refuse} any other",
                     "lon": "Decimal number between {lo} and {hi} (the bounds of {area}); Excel {refuse} any other",
                     "coordinates": "\"lat, lon\"", "count": "Whole number >= 0",
                     "code": "Kemendagri code (text)", "facility_type": ", ".join(TYPE_WORDS),
                     "text": "Free text"},
        "error_title": "Unknown value", "error": "Choose a value from the drop-down list.",
        "error_unit": "This name is not in the list. Another spelling is fine if you are sure it is right.",
        "refuse": {"stop": "refuses", "warning": "warns about"},
        "coord_title": "Coordinate outside {area}",
        "coord_error": "{what} must be a decimal number between {lo} and {hi} ({area}), negative south of the "
                       "equator.", "lat": "Lintang (latitude)", "lon": "Bujur (longitude)",
        "coord_check": "The Lintang and Bujur columns accept only decimal numbers within the bounds of {area} "
                       "(Lintang {lat_lo} to {lat_hi}, Bujur {lon_lo} to {lon_hi}); Excel {refuse} any other value.",
    },
}
