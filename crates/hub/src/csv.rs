//! CSV as RFC 4180 writes it (comma-separated, CRLF line ends, a field with a comma, a quote or a
//! line break quoted and its quotes doubled), made safe to open in a spreadsheet: a cell that
//! starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so a
//! person named `=HYPERLINK(…)` stays a name (OWASP, "CSV Injection").

use std::borrow::Cow;

/// The characters a spreadsheet reads as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One cell, defused and quoted as needed.
pub(crate) fn cell(text: &str) -> Cow<'_, str> {
    let defused: Cow<'_, str> = if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    };
    if defused.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", defused.replace('"', "\"\"")))
    } else {
        defused
    }
}

/// Appends one record of `cells` to `out`, ended by CRLF.
pub(crate) fn push_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, text) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell(text.as_ref()));
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> String {
        let mut out = String::new();
        push_row(&mut out, cells);
        out
    }

    #[test]
    fn plain_cells_are_written_as_they_are() {
        assert_eq!(row(&["2026-03-02", "Ana", "3"]), "2026-03-02,Ana,3\r\n");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted_as_rfc_4180_says() {
        assert_eq!(
            row(&["Müller, Ana", "the \"big\" room", "two\nlines"]),
            "\"Müller, Ana\",\"the \"\"big\"\" room\",\"two\nlines\"\r\n"
        );
    }

    #[test]
    fn a_cell_that_starts_like_a_formula_is_defused() {
        assert_eq!(
            row(&[
                "=HYPERLINK(\"http://evil.example\",\"click\")",
                "+1",
                "-2",
                "@SUM(A1)"
            ]),
            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",'+1,'-2,'@SUM(A1)\r\n"
        );
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("a=b"), "a=b", "only the first character matters");
    }
}
