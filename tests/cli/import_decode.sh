#!/usr/bin/env bash
# Import reads files as CRMs, spreadsheets and address books save them
# (issue 12): UTF-8 with or without a BOM, UTF-16/32 with a BOM, another
# encoding through --encoding, Windows-1252 when a file is not UTF-8 and says
# nothing; ',' ';' tab '|' found from the first lines or given with
# --delimiter; binary files refused with one line and nothing written; the
# summary says what it read.
. "$(dirname "$0")/lib.sh"
require_binary

FIX=$TESTS_DIR/cli/import_decode
lb --as boss user add boss --team manager >/dev/null
lb --as boss user add ana --team marketing >/dev/null

# leads_of EMAIL-LIKE: "name|company|email" of the matching leads, by id
leads_of() { sql "SELECT name || '|' || coalesce(company, '') || '|' || email FROM leads WHERE email LIKE '$1' ORDER BY id"; }

# ---- ';', every field quoted, CRLF, a UTF-8 BOM --------------------------
what "a European export: ';' found, the BOM read"
expect_grep 'read as UTF-8 with BOM, delimiter '\'';'\''$' lb --as ana import "$FIX/semicolon_quoted.csv"
expect_eq "its people, in file order, ',' inside fields kept" \
  "Jürgen Groß|Müller, Söhne & Co. KG|j.gross@beispiel.test
Anaïs Lefèvre|Société Générale|anais@exemple.test" "$(leads_of '%e%.test')"
expect_eq "a quoted ';' and doubled quotes in the notes" 1 \
  "$(sql "SELECT count(*) FROM leads WHERE notes LIKE '%Rückruf; bitte \"dringend\"%'")"

# ---- UTF-16LE with a BOM and tabs (Excel's "Unicode text") ---------------
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$FIX/address_book.txt"; } >"$TMP/unicode.txt"
what "UTF-16LE with a BOM, tab-separated"
expect_grep 'read as UTF-16LE with BOM, delimiter tab$' lb --as ana import "$TMP/unicode.txt"
expect_eq "converted: CJK, '|' and ',' inside fields" \
  "山田 太郎|株式会社テスト, 東京|yamada@example.test
Zoë Østergaard|Nørre | Partners|zoe@example.test" "$(leads_of '%@example.test')"

# the same people in UTF-16BE and UTF-32LE, with marks; then without one
{ printf '\xfe\xff'; sed 's/example/be16/' "$FIX/address_book.txt" | iconv -f UTF-8 -t UTF-16BE; } >"$TMP/be.txt"
{ printf '\xff\xfe\0\0'; sed 's/example/le32/' "$FIX/address_book.txt" | iconv -f UTF-8 -t UTF-32LE; } >"$TMP/le32.txt"
sed 's/example/nobom/' "$FIX/address_book.txt" | iconv -f UTF-8 -t UTF-16LE >"$TMP/nobom.txt"
what "UTF-16BE with a BOM"
expect_grep 'read as UTF-16BE with BOM, delimiter tab$' lb --as ana import "$TMP/be.txt"
what "UTF-32LE with a BOM"
expect_grep 'read as UTF-32LE with BOM, delimiter tab$' lb --as ana import "$TMP/le32.txt"
what "UTF-16LE without a BOM, told by its NUL bytes"
expect_grep 'read as UTF-16LE without BOM, delimiter tab$' lb --as ana import "$TMP/nobom.txt"
expect_eq "the same names from each" "3" \
  "$(sql "SELECT count(*) FROM leads WHERE name = '山田 太郎' AND email LIKE 'yamada@%' AND email <> 'yamada@example.test'")"

# ---- UTF-16 from standard input ------------------------------------------
{ printf '\xff\xfe'; printf 'Name,Email\r\nStdin Person,stdin@u16.test\r\n' | iconv -f UTF-8 -t UTF-16LE; } >"$TMP/stdin.csv"
what "UTF-16 through a pipe"
run sh -c "'$LEADBOARD' --db '$DB' --as ana import - <'$TMP/stdin.csv'"
expect_eq "exit 0 and the summary" "0 read as UTF-16LE with BOM, delimiter ','" "$RC $(sed -n 's/.*; //p' <<<"$OUT")"

# ---- not UTF-8, nothing said: Windows-1252 -------------------------------
printf 'Name,Email,Company\r\nRen\xe9 Fa\xefn,rene@cp1252.test,\x93Caf\xe9\x94 \x80uro \x96 Stra\xdfe\r\n' >"$TMP/cp1252.csv"
what "Windows-1252 when a file is not UTF-8, and the summary says so"
expect_grep 'read as Windows-1252 \(not UTF-8\), delimiter '\'','\''$' lb --as ana import "$TMP/cp1252.csv"
expect_eq "its characters, converted" "René Faïn|“Café” €uro – Straße|rene@cp1252.test" "$(leads_of '%cp1252.test')"

expect_grep "^$TMP/cp1252.csv is not UTF-8 and does not say its encoding: it was read as Windows-1252; if its accents look wrong, name its encoding with --encoding NAME\$" \
  lb --as ana import "$TMP/cp1252.csv" --dry-run
what "UTF-8: no such line"
expect_no_grep "is not UTF-8" lb --as ana import "$FIX/pipe.csv" --dry-run

# ---- --encoding ------------------------------------------------------------
# 山田 太郎 and 東京 in Shift_JIS
printf 'Name;Email;Company\n\x8eR\x93c \x91\xbe\x98Y;sjis@enc.test;\x93\x8c\x8b\x9e\n' >"$TMP/sjis.csv"
what "Shift_JIS with --encoding"
expect_grep 'read as SHIFT_JIS \(given\), delimiter '\'';'\''$' lb --as ana import "$TMP/sjis.csv" --encoding shift_jis
expect_eq "converted" "山田 太郎|東京|sjis@enc.test" "$(leads_of 'sjis@enc.test')"
printf 'Name,Email\nA,a@iso.test\nB\xa4,b@iso.test\n' >"$TMP/iso.csv"
what "ISO-8859-15's euro sign"
expect_exit 0 lb --as ana import "$TMP/iso.csv" --encoding ISO-8859-15
expect_eq "as the euro sign" "B€" "$(sql "SELECT name FROM leads WHERE email = 'b@iso.test'")"

printf 'Name,Email\nOk,ok@bad.test\n"Multi\nline",ml@bad.test\nBad\xfd\xfd,bad@bad.test\n' >"$TMP/badsjis.csv"
what "bytes that are not in the encoding given: FILE:LINE, nothing written"
expect_error_unchanged 2 "badsjis.csv:5: the bytes 0xFD 0xFD are not SHIFT_JIS text; is --encoding right" \
  lb --as ana import "$TMP/badsjis.csv" --encoding SHIFT_JIS
what "an encoding iconv does not know: a usage error"
expect_error_unchanged 1 "unknown encoding 'KLINGON'.*iconv -l" lb --as ana import "$TMP/iso.csv" --encoding KLINGON

# ---- delimiters ----------------------------------------------------------
what "'|' found"
expect_grep 'delimiter '\''\|'\''$' lb --as ana import "$FIX/pipe.csv"
expect_eq "',' and ';' inside its fields" "Ana Ávila|Acme, Inc.|ana@pipe.test
Bo Chen|Globex; Intl|bo@pipe.test" "$(leads_of '%@pipe.test')"
printf 'Name\tEmail\nTab Given\ttab@given.test\n' >"$TMP/tab.txt"
what "--delimiter tab"
expect_grep 'delimiter tab$' lb --as ana import "$TMP/tab.txt" --delimiter tab
# one column named "Name;Email" at ',' -- the file says ';' only when asked
printf 'Name;Email\nSemi Given;semi@given.test\n' >"$TMP/semi.csv"
what "--delimiter ';' as given"
expect_grep 'delimiter '\'';'\''$' lb --as ana import "$TMP/semi.csv" --delimiter ';' --dry-run
what "--delimiter ',' on a ';' file: one column, which is no name column"
expect_error_unchanged 2 "" lb --as ana import "$TMP/semi.csv" --delimiter ,
what "--delimiter with two characters: a usage error"
expect_error_unchanged 1 "--delimiter takes one character" lb --as ana import "$TMP/semi.csv" --delimiter ';;'
what "--delimiter '\"': a usage error"
expect_error_unchanged 1 "--delimiter takes one character" lb --as ana import "$TMP/semi.csv" --delimiter '"'

# Excel's "sep=" line names the delimiter and is no data: the lines after it
# keep their numbers
printf 'sep=|\r\nName|Email|Amount\r\nSep Line|sep@line.test|12\r\nBad|bad@line.test|twelve\r\n' >"$TMP/sep.csv"
what "a sep=| line: '|', though the rows have no '|' in their own right"
expect_error_unchanged 2 "sep.csv:4: " lb --as ana import "$TMP/sep.csv"
sed -i '$d' "$TMP/sep.csv"
what "and without the bad row"
expect_grep "delimiter '\|'\$" lb --as ana import "$TMP/sep.csv"
expect_eq "its row" "Sep Line" "$(sql "SELECT name FROM leads WHERE email = 'sep@line.test'")"
what "the sep= line is not called a preamble left out"
expect_no_grep "left out" lb --as ana import --dry-run "$TMP/sep.csv"

# ---- the summary in other formats ----------------------------------------
what "csv summary: encoding and delimiter columns"
run lb --as ana --format csv import "$TMP/tab.txt" --dry-run --on-duplicate skip
expect_eq "exit 0" 0 "$RC"
expect_eq "the columns" "encoding,delimiter" "$(head -1 <<<"$OUT" | tr -d "\r" | awk -F, '{print $(NF-1) "," $NF}')"
expect_eq "the values" "UTF-8,tab" "$(tail -1 <<<"$OUT" | tr -d "\r" | awk -F, '{print $(NF-1) "," $NF}')"

# ---- control characters never stored ------------------------------------
printf 'Name,Email,Company\nEsc\x1b[31mRed,esc@ctl.test,Bell\x07Co\n' >"$TMP/ctl.csv"
what "control characters in fields become spaces"
expect_exit 0 lb --as ana import "$TMP/ctl.csv"
expect_eq "no ESC or BEL stored" "Esc [31mRed|Bell Co|esc@ctl.test" "$(leads_of 'esc@ctl.test')"
printf 'Name,Email\nC1\xc2\x9b2J,c1@ctl.test\n' >"$TMP/c1.csv"
what "a C1 control (CSI) becomes the Windows-1252 character it stands for"
expect_exit 0 lb --as ana import "$TMP/c1.csv"
expect_eq "U+009B stored as ›" "C1›2J" "$(sql "SELECT name FROM leads WHERE email = 'c1@ctl.test'")"

# ---- binary files --------------------------------------------------------
printf 'PK\003\004\024\000\006\000\010\000\000\000!\000' >"$TMP/leads.xlsx"
what "a spreadsheet (.xlsx) is refused, with what to do"
expect_error_unchanged 2 "leads.xlsx is a ZIP archive \(an .xlsx.*save it as CSV" lb --as ana import "$TMP/leads.xlsx"
printf 'Name,Email\nAna\000x,a@nul.test\n' >"$TMP/nul.csv"
what "NUL bytes: binary data"
expect_error_unchanged 2 "nul.csv:2: a NUL byte: this is binary data, not CSV text" lb --as ana import "$TMP/nul.csv"
head -c 4096 "$LEADBOARD" >"$TMP/program.csv"
what "a program"
expect_error_unchanged 2 "program.csv is a program, not CSV text" lb --as ana import "$TMP/program.csv"
{ printf 'Name,Email\n'; for i in $(seq 12000); do printf 'P%05d,p%05d@late.test\n' "$i" "$i"; done; printf 'Late\000,nul@late.test\n'; } >"$TMP/late_nul.csv"
what "a NUL far into a file: refused at its line"
expect_error_unchanged 2 "late_nul.csv:12002: a NUL byte" lb --as ana import "$TMP/late_nul.csv"

printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Avila\r\nEMAIL:ana@vcf.test\r\nEND:VCARD\r\n' >"$TMP/contacts.vcf"
what "a vCard address book: export it as CSV"
expect_error_unchanged 2 "contacts.vcf is a vCard address book \(.vcf\), not CSV text; export the address book as CSV" \
  lb --as ana import "$TMP/contacts.vcf"

# ---- help, man page ------------------------------------------------------
what "help import names both options"
expect_grep '\[--encoding NAME\] \[--delimiter C\]' lbx help import

finish
